package io.logd.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses the time forms the API accepts: RFC 3339 ({@code 2026-11-23T10:00:00.123456Z}), epoch
 * numbers in seconds, milliseconds, microseconds or nanoseconds (told apart by magnitude, with an
 * optional fraction for seconds), and relative values ({@code now}, {@code -15m}, {@code -2h},
 * {@code -7d}, {@code -30s}, {@code -1w}). Never throws for bad text: returns {@link Bad}.
 */
public final class Times {
  private Times() {}

  /** A parse result. */
  public sealed interface Result permits Ok, Bad {}

  /** Nanoseconds since the epoch. */
  public record Ok(long nanos) implements Result {}

  /** Why the text is not a time. */
  public record Bad(String message) implements Result {}

  private static final long SECOND = 1_000_000_000L;

  /** Parses {@code text} relative to {@code now}. */
  public static Result parse(String text, Instant now) {
    if (text == null || text.isBlank()) {
      return new Bad("empty time");
    }
    String t = text.trim();
    if (t.isEmpty()) {
      return new Bad("empty time"); // only control characters: trim() drops them, isBlank() does not
    }
    if (t.equals("now")) {
      return new Ok(LogEvent.toNanos(now));
    }
    if (t.startsWith("now-") || t.startsWith("-")) {
      return relative(t.startsWith("now") ? t.substring(3) : t, now, text);
    }
    char c0 = t.charAt(0);
    if (Character.isDigit(c0) && isNumber(t)) {
      return epoch(t, text);
    }
    long fast = rfc3339(t);
    if (fast >= 0) {
      return new Ok(fast);
    }
    try {
      Instant i = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      return checked(i, text);
    } catch (DateTimeParseException e) {
      // try the looser forms below
    }
    try {
      // "2026-11-23 10:00:00Z" and friends: a space instead of T.
      if (t.length() > 10 && t.charAt(10) == ' ') {
        return checked(OffsetDateTime.parse(t.substring(0, 10) + 'T' + t.substring(11)).toInstant(), text);
      }
      return checked(Instant.parse(t), text);
    } catch (DateTimeParseException e) {
      return new Bad("cannot parse '" + text + "' as a time (RFC 3339, epoch number, or relative like -15m)");
    }
  }

  /**
   * The common strict form {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM)} read arithmetically,
   * as loggers write it on every line; -1 for anything else (other forms, invalid fields, times
   * outside 1970..2261), which the java.time path then reads or explains.
   */
  static long rfc3339(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return -1;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 1970 || year > 2261 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return -1;
    }
    int i = 19;
    long nanos = 0;
    if (t.charAt(i) == '.') {
      int f = ++i;
      while (i < n && i - f < 9 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        nanos = nanos * 10 + (t.charAt(i++) - '0');
      }
      if (i == f) {
        return -1;
      }
      for (int k = i - f; k < 9; k++) {
        nanos *= 10;
      }
    }
    long offset;
    if (i == n - 1 && t.charAt(i) == 'Z') {
      offset = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, 2);
      int om = digits(t, i + 4, 2);
      if (oh < 0 || oh > 17 || om < 0 || om > 59) {
        return -1;
      }
      offset = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
    } else {
      return -1;
    }
    long seconds = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offset;
    return seconds < 0 ? -1 : seconds * SECOND + nanos;
  }

  /**
   * Days from 1970-01-01 to a proleptic Gregorian date (month 1..12, day valid for the month), by
   * arithmetic, for parsers that read dates without java.time on their hot path.
   */
  public static long epochDay(int year, int month, int day) {
    // Count from March so that the leap day ends the year.
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468L;
  }

  /** Days in a month (1..12) of a proleptic Gregorian year. */
  public static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** The value of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static Result checked(Instant i, String text) {
    if (i.isBefore(Instant.EPOCH) || i.getEpochSecond() > Long.MAX_VALUE / SECOND - 1) {
      return new Bad("time '" + text + "' is outside 1970..2262");
    }
    return new Ok(LogEvent.toNanos(i));
  }

  /** Whether {@code t} (not empty) is an unsigned decimal: digits with at most one inner dot. */
  public static boolean isNumber(String t) {
    int dots = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '.') {
        dots++;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return dots <= 1 && t.charAt(t.length() - 1) != '.';
  }

  private static Result epoch(String t, String text) {
    int dot = t.indexOf('.');
    String whole = dot < 0 ? t : t.substring(0, dot);
    if (whole.length() > 19) {
      return new Bad("epoch number '" + text + "' is too large");
    }
    long v = Long.parseLong(whole);
    long nanos;
    // Magnitudes: seconds up to year 5138, then ms, µs, ns.
    if (v < 100_000_000_000L) {
      nanos = v * SECOND;
      if (dot >= 0) {
        String frac = (t.substring(dot + 1) + "000000000").substring(0, 9);
        nanos += Long.parseLong(frac);
      }
      return new Ok(nanos);
    }
    if (dot >= 0) {
      return new Bad("epoch number '" + text + "' has a fraction but is not in seconds");
    }
    if (v < 100_000_000_000_000L) {
      nanos = v * 1_000_000L;
    } else if (v < 100_000_000_000_000_000L) {
      nanos = v * 1_000L;
    } else {
      nanos = v;
    }
    return new Ok(nanos);
  }

  private static Result relative(String t, Instant now, String text) {
    // t is "-<number><unit>"
    if (t.length() < 3 || t.charAt(0) != '-') {
      return new Bad("cannot parse '" + text + "' as a relative time (like -15m)");
    }
    char unit = t.charAt(t.length() - 1);
    String digits = t.substring(1, t.length() - 1);
    long unitNanos;
    if (t.endsWith("ms")) {
      digits = t.substring(1, t.length() - 2);
      unitNanos = 1_000_000L;
    } else {
      unitNanos = switch (unit) {
        case 's' -> SECOND;
        case 'm' -> 60 * SECOND;
        case 'h' -> 3600 * SECOND;
        case 'd' -> 86_400 * SECOND;
        case 'w' -> 7 * 86_400 * SECOND;
        default -> -1;
      };
    }
    if (unitNanos < 0 || digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 12) {
      return new Bad("cannot parse '" + text + "' as a relative time (like -15m, -2h, -7d)");
    }
    long amount = Long.parseLong(digits);
    long nowNanos = LogEvent.toNanos(now);
    long back;
    try {
      back = Math.multiplyExact(amount, unitNanos);
    } catch (ArithmeticException e) {
      return new Ok(0);
    }
    return new Ok(Math.max(0, nowNanos - back));
  }

  /** RFC 3339 UTC with as many fraction digits as needed (up to nanoseconds). */
  public static String format(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, SECOND), Math.floorMod(nanos, SECOND)).toString();
  }
}
