package io.logd.engine;

import java.io.IOException;

/** Another process holds the data directory's lock. */
public final class DataDirInUseException extends IOException {
  private static final long serialVersionUID = 1L;

  public DataDirInUseException(String message) {
    super(message);
  }
}
