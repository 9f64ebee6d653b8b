package io.logd.cli;

/**
 * An error meant for the operator as is: {@link Main} prints {@code logd: <message>} to stderr and
 * exits 1 (2 for a {@link #usage} error), with the stack trace only under {@code --debug}.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(String message) {
    this(message, null, Main.EXIT_ERROR);
  }

  CliException(String message, Throwable cause) {
    this(message, cause, Main.EXIT_ERROR);
  }

  private CliException(String message, Throwable cause, int exitCode) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** An argument the server found wrong (a query that does not parse, a bad time): exit code 2. */
  static CliException usage(String message) {
    return new CliException(message, null, Main.EXIT_USAGE);
  }

  int exitCode() {
    return exitCode;
  }
}
