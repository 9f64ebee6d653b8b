package io.logd.store;

/** A stored value that this version of logd cannot decode: an unknown format byte or a short record. */
public final class CorruptEventException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CorruptEventException(String message) {
    super(message);
  }

  public CorruptEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
