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
    bad("1969-12-31T23:59:59Z");
    bad("12.34.56");
    bad("99999999999999999999");
  }

  @Test
  void formatKeepsNanos() {
    assertEquals("2026-11-23T10:00:00.123456789Z", Times.format(NOW_NS + 123_456_789));
    assertEquals("2026-11-23T10:00:00Z", Times.format(NOW_NS));
  }
}
