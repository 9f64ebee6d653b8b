package io.logd.event;

import java.util.Locale;

/** Syslog facilities with their RFC 5424 codes and the keywords used in stored events and output. */
public enum Facility {
  KERN(0, "kern"),
  USER(1, "user"),
  MAIL(2, "mail"),
  DAEMON(3, "daemon"),
  AUTH(4, "auth"),
  SYSLOG(5, "syslog"),
  LPR(6, "lpr"),
  NEWS(7, "news"),
  UUCP(8, "uucp"),
  CRON(9, "cron"),
  AUTHPRIV(10, "authpriv"),
  FTP(11, "ftp"),
  NTP(12, "ntp"),
  AUDIT(13, "audit"),
  ALERT(14, "alert"),
  CLOCK(15, "clock"),
  LOCAL0(16, "local0"),
  LOCAL1(17, "local1"),
  LOCAL2(18, "local2"),
  LOCAL3(19, "local3"),
  LOCAL4(20, "local4"),
  LOCAL5(21, "local5"),
  LOCAL6(22, "local6"),
  LOCAL7(23, "local7");

  private static final Facility[] BY_CODE = values();

  private final int code;
  private final String keyword;

  Facility(int code, String keyword) {
    this.code = code;
    this.keyword = keyword;
  }

  public int code() {
    return code;
  }

  public String keyword() {
    return keyword;
  }

  /** The facility for a syslog code 0..23, or null when out of range. */
  public static Facility fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** Parses a keyword ({@code local7}, {@code authpriv}, ...) case-insensitively; null when unknown. */
  public static Facility parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (Facility f : BY_CODE) {
      if (f.keyword.equals(t)) {
        return f;
      }
    }
    return switch (t) {
      case "security" -> AUTH;
      case "cron2", "clock2" -> CLOCK;
      default -> null;
    };
  }

  @Override
  public String toString() {
    return keyword;
  }
}
