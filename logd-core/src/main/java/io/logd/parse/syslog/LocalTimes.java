package io.logd.parse.syslog;

import io.logd.event.Times;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Calendar arithmetic and one zone's UTC offsets, so that a header's time becomes epoch seconds
 * without java.time objects per line. Offsets are looked up once per hour of time and cached in an
 * immutable entry, which keeps instances thread-safe without locks.
 *
 * <p>Local times that a transition skips (spring forward) or repeats (fall back) take the offset
 * before the transition, as {@link ZoneRules#getOffset(LocalDateTime)} does.
 */
final class LocalTimes {
  /** The largest epoch second whose nanoseconds still fit a long (2262-04-11). */
  static final long MAX_EPOCH_SECOND = Long.MAX_VALUE / 1_000_000_000L - 1;

  private static final int HOUR = 3600;

  /** One hour (counted from the epoch, local or UTC) and its offset in seconds. */
  private record Hour(long hour, int offset) {}

  private final ZoneRules rules;
  private final boolean fixed;
  private final int fixedOffset;
  // Racy but safe: each field only ever holds a complete immutable entry.
  private Hour lastLocal = new Hour(Long.MIN_VALUE, 0);
  private Hour lastUtc = new Hour(Long.MIN_VALUE, 0);

  LocalTimes(ZoneId zone) {
    this.rules = zone.getRules();
    this.fixed = rules.isFixedOffset();
    this.fixedOffset = fixed ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : 0;
  }

  /** Epoch second of a local date-time given as seconds since 1970-01-01T00:00 local. */
  long toUtc(long localSecond) {
    if (fixed) {
      return localSecond - fixedOffset;
    }
    long hour = Math.floorDiv(localSecond, HOUR);
    Hour h = lastLocal;
    if (h.hour == hour) {
      return localSecond - h.offset;
    }
    int start = offsetOfLocal(hour * HOUR);
    // Cache only hours without a transition inside; the rare others are looked up every time.
    if (start == offsetOfLocal(hour * HOUR + HOUR - 1)) {
      lastLocal = new Hour(hour, start);
      return localSecond - start;
    }
    return localSecond - offsetOfLocal(localSecond);
  }

  /** Seconds since 1970-01-01T00:00 local of an epoch second. */
  long toLocal(long utcSecond) {
    if (fixed) {
      return utcSecond + fixedOffset;
    }
    long hour = Math.floorDiv(utcSecond, HOUR);
    Hour h = lastUtc;
    if (h.hour == hour) {
      return utcSecond + h.offset;
    }
    int start = offsetOfUtc(hour * HOUR);
    if (start == offsetOfUtc(hour * HOUR + HOUR - 1)) {
      lastUtc = new Hour(hour, start);
      return utcSecond + start;
    }
    return utcSecond + offsetOfUtc(utcSecond);
  }

  private int offsetOfLocal(long localSecond) {
    return rules.getOffset(LocalDateTime.ofEpochSecond(localSecond, 0, ZoneOffset.UTC)).getTotalSeconds();
  }

  private int offsetOfUtc(long utcSecond) {
    return rules.getOffset(Instant.ofEpochSecond(utcSecond)).getTotalSeconds();
  }

  /** The year holding an epoch day; the inverse of {@link #epochDay} for the year part. */
  static int yearOf(long epochDay) {
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    int dayOfEra = (int) (z - era * 146_097);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int marchMonth = (5 * dayOfYear + 2) / 153; // 0 = March .. 11 = February
    return (int) (yearOfEra + era * 400) + (marchMonth >= 10 ? 1 : 0);
  }
}
