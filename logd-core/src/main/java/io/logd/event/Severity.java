package io.logd.event;

import java.util.Locale;

/**
 * Canonical log levels, ordered from least to most severe. The syslog code is the RFC 5424 severity
 * (0 emerg .. 7 debug); {@link #TRACE} has no syslog code and maps to 7 on output.
 */
public enum Severity {
  TRACE("trace", 7),
  DEBUG("debug", 7),
  INFO("info", 6),
  NOTICE("notice", 5),
  WARN("warn", 4),
  ERROR("error", 3),
  CRIT("crit", 2),
  ALERT("alert", 1),
  EMERG("emerg", 0);

  private static final Severity[] BY_SYSLOG_CODE = {EMERG, ALERT, CRIT, ERROR, WARN, NOTICE, INFO, DEBUG};
  private static final Severity[] VALUES = values();

  private final String canonicalName;
  private final int syslogCode;

  Severity(String canonicalName, int syslogCode) {
    this.canonicalName = canonicalName;
    this.syslogCode = syslogCode;
  }

  /** The canonical lower-case name used in stored events, queries and output, e.g. {@code warn}. */
  public String canonicalName() {
    return canonicalName;
  }

  public int syslogCode() {
    return syslogCode;
  }

  /** True for {@code error} and worse, the contract's definition of an error level. */
  public boolean isError() {
    return compareTo(ERROR) >= 0;
  }

  /** The severity for a syslog code 0..7, or null when out of range. */
  public static Severity fromSyslogCode(int code) {
    return code >= 0 && code < BY_SYSLOG_CODE.length ? BY_SYSLOG_CODE[code] : null;
  }

  /** Stable small number for the binary codec; never reorder the constants. */
  public static Severity fromOrdinal(int ordinal) {
    return ordinal >= 0 && ordinal < VALUES.length ? VALUES[ordinal] : null;
  }

  /**
   * Parses syslog names, common words ({@code warning}, {@code err}, {@code fatal}, ...) and the
   * numbers 0..7, case-insensitively. Returns null when the text names no level.
   */
  public static Severity parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.length() == 1 && t.charAt(0) >= '0' && t.charAt(0) <= '7') {
      return fromSyslogCode(t.charAt(0) - '0');
    }
    return switch (t) {
      case "trace", "trc", "finest", "finer", "verbose" -> TRACE;
      case "debug", "dbg", "fine", "config" -> DEBUG;
      case "info", "information", "informational", "inf", "i" -> INFO;
      case "notice", "note" -> NOTICE;
      case "warn", "warning", "wrn", "w" -> WARN;
      case "error", "err", "e", "severe" -> ERROR;
      case "crit", "critical", "fatal", "ftl", "f" -> CRIT;
      case "alert" -> ALERT;
      case "emerg", "emergency", "panic" -> EMERG;
      default -> null;
    };
  }

  @Override
  public String toString() {
    return canonicalName;
  }
}
