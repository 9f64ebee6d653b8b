package io.logd.tenant;

/** A tenant or key request that cannot be done as asked (bad name, duplicate, unknown tenant). */
public final class KeyStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public KeyStoreException(String message) {
    super(message);
  }
}
