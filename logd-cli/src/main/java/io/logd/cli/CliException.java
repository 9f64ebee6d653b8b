package io.logd.cli;

/**
 * An error meant for the operator as is: {@link Main} prints {@code logd: <message>} to stderr and
 * exits 1, with the stack trace only under {@code --debug}.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
