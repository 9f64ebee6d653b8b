package io.logd.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CursorTest {
  @Test
  void roundTripsAndRejectsForgeries() {
    Cursor c = new Cursor(1_795_428_000_123_456_789L, 42, true);
    assertEquals(Optional.of(c), Cursor.decode(c.encode()));
    Cursor asc = new Cursor(0, Long.MAX_VALUE, false);
    assertEquals(Optional.of(asc), Cursor.decode(asc.encode()));
    assertTrue(Cursor.decode("").isEmpty());
    assertTrue(Cursor.decode("not a cursor!").isEmpty());
    assertTrue(Cursor.decode("AAAA").isEmpty());
    assertTrue(Cursor.decode(null).isEmpty());
  }

  @Test
  void timeRangeParsesBothEnds() {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    TimeRange r = assertInstanceOf(TimeRange.Ok.class, TimeRange.parse("-1h", "now", now)).range();
    assertEquals(3_600_000_000_000L, r.toNanos() - r.fromNanos());
    assertEquals(TimeRange.ALL, assertInstanceOf(TimeRange.Ok.class, TimeRange.parse(null, "", now)).range());
    TimeRange.Bad bad = assertInstanceOf(TimeRange.Bad.class, TimeRange.parse("now", "-1h", now));
    assertEquals("to", bad.parameter());
    assertEquals("from", assertInstanceOf(TimeRange.Bad.class, TimeRange.parse("soon", null, now)).parameter());
  }
}
