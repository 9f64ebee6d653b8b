package io.logd.cli;

/** Whether this process writes to a terminal. */
final class Terminal {
  private Terminal() {}

  static boolean isTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try { // JDK 22+: a console object exists even when redirected; ask whether it is a terminal.
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console exists only on a terminal
    }
  }
}
