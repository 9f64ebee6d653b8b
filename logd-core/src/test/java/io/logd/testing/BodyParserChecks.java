package io.logd.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.logd.event.Facility;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.parse.BodyParser;
import java.util.List;
import java.util.SplittableRandom;

/** Checks every {@link BodyParser} must pass: what a parse sets, and that a refusal changes nothing. */
public final class BodyParserChecks {
  /** The receive time of the events built here: 2026-11-23T10:00:00Z. */
  public static final long RECEIVED = 1_795_428_000_000_000_000L;
  /** The time the syslog header gave, before the body is read: one hour before {@link #RECEIVED}. */
  public static final long HEADER_TIME = RECEIVED - 3_600_000_000_000L;

  private BodyParserChecks() {}

  /** A builder as the syslog reader hands it over: header parts set, the body as message. */
  public static LogEvent.Builder header(String body) {
    return LogEvent.builder()
        .receivedNanos(RECEIVED)
        .timestampNanos(HEADER_TIME)
        .host("web-1")
        .service("app")
        .level(Severity.NOTICE)
        .facility(Facility.LOCAL7)
        .message(body)
        .field("pid", 42L)
        .tag("syslog");
  }

  /** Parses {@code body} onto {@link #header}; fails the test when it is refused. */
  public static LogEvent parsed(BodyParser parser, String body) {
    LogEvent.Builder b = header(body);
    String reason = parser.parse(body, b);
    assertNull(reason, () -> "refused: " + body);
    return b.build();
  }

  /** Parses {@code body} expecting a refusal; checks the builder is unchanged and returns the reason. */
  public static String refused(BodyParser parser, String body) {
    LogEvent.Builder b = header(body);
    LogEvent before = b.build();
    String reason = parser.parse(body, b);
    assertNotNull(reason, () -> "accepted: " + body);
    assertEquals(before, b.build(), () -> "refusing changed the event: " + body);
    return reason;
  }

  /**
   * Feeds {@code rounds} mangled copies of {@code samples} (cut, spliced, with characters flipped to
   * ones parsers care about) and random strings to {@code parser}: it must never throw, a refusal
   * must leave the builder unchanged, and an accepted body must build. The seed is printed, and
   * {@code -Dlogd.seed=<n>} replays one.
   */
  public static void survivesGarbage(BodyParser parser, List<String> samples, int rounds) {
    long seed = Long.getLong("logd.seed", System.nanoTime());
    System.out.println(parser.getClass().getSimpleName() + " random test seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    String specials = " \t\"\\[]{}:=-./x0123456789@,>\u00e9\0";
    for (int r = 0; r < rounds; r++) {
      String body;
      if (rnd.nextInt(10) == 0) {
        StringBuilder sb = new StringBuilder();
        int len = rnd.nextInt(60);
        for (int k = 0; k < len; k++) {
          sb.append(rnd.nextBoolean() ? specials.charAt(rnd.nextInt(specials.length())) : (char) rnd.nextInt(32, 127));
        }
        body = sb.toString();
      } else {
        StringBuilder sb = new StringBuilder(samples.get(rnd.nextInt(samples.size())));
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
          int at = rnd.nextInt(sb.length());
          switch (rnd.nextInt(5)) {
            case 0 -> sb.setLength(at);
            case 1 -> sb.setCharAt(at, specials.charAt(rnd.nextInt(specials.length())));
            case 2 -> sb.insert(at, specials.charAt(rnd.nextInt(specials.length())));
            case 3 -> sb.deleteCharAt(at);
            default -> {
              String other = samples.get(rnd.nextInt(samples.size()));
              int from = rnd.nextInt(other.length());
              sb.insert(at, other, from, Math.min(other.length(), from + rnd.nextInt(20)));
            }
          }
        }
        body = sb.toString();
      }
      LogEvent.Builder b = header(body);
      LogEvent before = b.build();
      String reason;
      try {
        reason = parser.parse(body, b);
        parser.looksLike(body);
        LogEvent after = b.build();
        if (reason != null) {
          assertEquals(before, after, "refusing changed the event (seed " + seed + "): " + body);
        }
      } catch (RuntimeException e) {
        throw new AssertionError("threw on '" + body + "' (seed " + seed + ")", e);
      }
    }
  }
}
