package io.logd.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final long NOW_NS = 1_795_428_000_000_000_000L;

  static long ok(String text) {
    return assertInstanceOf(Times.Ok.class, Times.parse(text, NOW), text).nanos();
  }

  static String bad(String text) {
    return assertInstanceOf(Times.Bad.class, Times.parse(text, NOW), text).message();
  }

  @Test
  void rfc3339() {
    assertEquals(NOW_NS, LogEvent.toNanos(NOW));
    assertEquals(NOW_NS + 123_456_789, ok("2026-11-23T10:00:00.123456789Z"));
    assertEquals(NOW_NS + 123_000_000, ok("2026-11-23T11:00:00.123+01:00"));
    assertEquals(NOW_NS, ok("2026-11-23 10:00:00Z"));
  }

  @Test
  void epochByMagnitude() {
    assertEquals(NOW_NS, ok("1795428000"));
    assertEquals(NOW_NS + 500_000_000, ok("1795428000.5"));
    assertEquals(NOW_NS + 123_000_000, ok("1795428000123"));
    assertEquals(NOW_NS + 123_456_000, ok("1795428000123456"));
    assertEquals(NOW_NS + 123_456_789, ok("1795428000123456789"));
    assertEquals(0, ok("0"));
  }

  @Test
  void relative() {
    assertEquals(NOW_NS, ok("now"));
    assertEquals(NOW_NS - 15 * 60_000_000_000L, ok("-15m"));
    assertEquals(NOW_NS - 2 * 3_600_000_000_000L, ok("-2h"));
    assertEquals(NOW_NS - 7 * 86_400_000_000_000L, ok("-7d"));
    assertEquals(NOW_NS - 30_000_000_000L, ok("now-30s"));
    assertEquals(NOW_NS - 250_000_000L, ok("-250ms"));
  }

  @Test
  void badTextSaysWhy() {
    assertEquals("cannot parse 'yesterday' as a time (RFC 3339, epoch number, or relative like -15m)", bad("yesterday"));
    bad("-15x");
    bad("-m");
    bad("");
    bad("\0");
    bad("\u0001 ");
    bad("1969-12-31T23:59:59Z");
    bad("12.34.56");
    bad("99999999999999999999");
  }

  @Test
  void theArithmeticRfc3339PathAgreesWithJavaTime() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
    for (int k = 0; k < 20_000; k++) {
      long seconds = rnd.nextLong(0, 9_000_000_000L);
      int nanos = rnd.nextInt(1_000_000_000);
      int offsetMinutes = rnd.nextInt(-17 * 60, 17 * 60 + 1);
      java.time.OffsetDateTime t = Instant.ofEpochSecond(seconds, nanos)
          .atOffset(java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
      String[] forms = {
        t.toString(),
        t.format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")),
        t.format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX")),
        t.withOffsetSameInstant(java.time.ZoneOffset.UTC).format(
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")),
      };
      for (String form : forms) {
        long expected = LogEvent.toNanos(java.time.OffsetDateTime.parse(form).toInstant());
        long fast = Times.rfc3339(form);
        if (fast >= 0 || t.getYear() >= 1970 && t.getYear() < 2262 && form.charAt(16) == ':') {
          assertEquals(expected, fast, form); // every strict form in range takes the fast path
        }
        assertEquals(expected, ok(form), form);
      }
    }
    // forms the fast path leaves to java.time
    for (String other : new String[] {"2026-11-23T10:00Z", "2026-11-23t10:00:00z", "2026-11-23T10:00:00.Z",
        "2026-11-23T10:00:00.1234567891Z", "2026-02-29T10:00:00Z", "2026-11-23T24:00:00Z", "1969-12-31T23:59:59Z",
        "2026-11-23T10:00:00+1:00", "2026-11-23T10:00:00+18:00"}) {
      assertEquals(-1, Times.rfc3339(other), other);
    }
    assertEquals(NOW_NS, ok("2026-11-23T10:00Z"));
  }

  @Test
  void formatKeepsNanos() {
    assertEquals("2026-11-23T10:00:00.123456789Z", Times.format(NOW_NS + 123_456_789));
    assertEquals("2026-11-23T10:00:00Z", Times.format(NOW_NS));
  }
}
