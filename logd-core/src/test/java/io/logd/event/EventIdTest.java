package io.logd.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventIdTest {
  @Test
  void hexRoundTrips() {
    EventId id = new EventId(1_795_000_000_123_456_789L, 0xabcdefL);
    String hex = id.hex();
    assertEquals(32, hex.length());
    assertEquals("18e91efd632f4d15" + "0000000000abcdef", hex);
    assertEquals(Optional.of(id), EventId.parse(hex));
    assertEquals(Optional.of(id), EventId.parse(hex.toUpperCase()));
  }

  @Test
  void rejectsWhatIsNotAnId() {
    assertTrue(EventId.parse("").isEmpty());
    assertTrue(EventId.parse("xyz").isEmpty());
    assertTrue(EventId.parse("18e8fc2d0e3e4315000000000000abcg").isEmpty());
    assertTrue(EventId.parse("18e8fc2d0e3e4315000000000000abcdef").isEmpty());
    assertTrue(EventId.parse(null).isEmpty());
  }

  @Test
  void hexSortsLikeIds() {
    EventId a = new EventId(100, 5);
    EventId b = new EventId(100, 6);
    EventId c = new EventId(101, 0);
    assertTrue(a.hex().compareTo(b.hex()) < 0 && a.compareTo(b) < 0);
    assertTrue(b.hex().compareTo(c.hex()) < 0 && b.compareTo(c) < 0);
  }

  @Test
  void severityWords() {
    assertEquals(Severity.WARN, Severity.parse("warning"));
    assertEquals(Severity.ERROR, Severity.parse("ERR"));
    assertEquals(Severity.CRIT, Severity.parse("fatal"));
    assertEquals(Severity.EMERG, Severity.parse("0"));
    assertEquals(Severity.DEBUG, Severity.parse("7"));
    assertEquals(null, Severity.parse("8"));
    assertEquals(null, Severity.parse("loud"));
    assertEquals(Facility.LOCAL7, Facility.fromCode(23));
    assertEquals(Facility.AUTHPRIV, Facility.parse("authpriv"));
  }
}
