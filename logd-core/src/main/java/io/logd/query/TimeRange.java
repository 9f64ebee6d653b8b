package io.logd.query;

import io.logd.event.Times;
import java.time.Instant;

/**
 * A half-open time range {@code [fromNanos, toNanos)} in epoch nanoseconds. Searches open only the
 * day indexes that overlap it.
 */
public record TimeRange(long fromNanos, long toNanos) {
  /** Every time logd can store. */
  public static final TimeRange ALL = new TimeRange(0, Long.MAX_VALUE);

  public TimeRange {
    if (fromNanos < 0 || toNanos < fromNanos) {
      throw new IllegalArgumentException("bad time range [" + fromNanos + ", " + toNanos + ")");
    }
  }

  /** The result of parsing API parameters. */
  public sealed interface Parsed permits Ok, Bad {}

  public record Ok(TimeRange range) implements Parsed {}

  /** {@code parameter} is {@code from} or {@code to}. */
  public record Bad(String parameter, String message) implements Parsed {}

  /**
   * Parses {@code from} and {@code to} API parameters (either may be null or blank: from the
   * beginning, until the end of time). {@code to} is exclusive.
   */
  public static Parsed parse(String from, String to, Instant now) {
    long f = 0;
    long t = Long.MAX_VALUE;
    if (from != null && !from.isBlank()) {
      switch (Times.parse(from, now)) {
        case Times.Ok ok -> f = ok.nanos();
        case Times.Bad bad -> {
          return new Bad("from", bad.message());
        }
      }
    }
    if (to != null && !to.isBlank()) {
      switch (Times.parse(to, now)) {
        case Times.Ok ok -> t = ok.nanos();
        case Times.Bad bad -> {
          return new Bad("to", bad.message());
        }
      }
    }
    if (t < f) {
      return new Bad("to", "'to' is before 'from'");
    }
    return new Ok(new TimeRange(f, t));
  }
}
