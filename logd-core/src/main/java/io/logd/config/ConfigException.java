package io.logd.config;

/**
 * A configuration error that stops start-up. The message is meant for an operator as is: it names
 * the dotted key (and, where the value came from the environment, a flag or a file, which one), the
 * offending value, and what was expected, e.g. {@code http.port (from LOGD_HTTP_PORT): expected a
 * port 0..65535, got '80x'}.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  ConfigException(String key, String message) {
    this(key, message, null);
  }

  ConfigException(String key, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /**
   * The dotted key at fault, such as {@code ingest.ack}, or the unknown key as written; null when
   * the error concerns the config file as a whole (missing, unreadable, not YAML).
   */
  public String key() {
    return key;
  }
}
