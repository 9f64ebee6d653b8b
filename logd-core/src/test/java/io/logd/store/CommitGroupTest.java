package io.logd.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.logd.event.LogEvent;
import io.logd.event.Severity;
import org.junit.jupiter.api.Test;

class CommitGroupTest {
  private static LogEvent event(int i) {
    return LogEvent.builder()
        .timestampNanos(1_795_000_000_000_000_000L + i)
        .receivedNanos(1_795_000_000_000_000_000L + i)
        .host("web-" + i)
        .service("nginx")
        .level(Severity.INFO)
        .message("GET /item/" + i + " HTTP/1.1 200")
        .field("status", 200)
        .build();
  }

  @Test
  void encodedOnlyDecodesTheSameEventsAndSharesEverythingElse() {
    EventCodec codec = new EventCodec();
    CommitGroup group = new CommitGroup(2);
    LogEvent[] events = new LogEvent[40]; // past the initial capacity, so the arrays have grown
    for (int i = 0; i < events.length; i++) {
      events[i] = event(i);
      group.add(i % 3, events[i].timestampNanos(), codec.encode(events[i]), events[i]);
      group.setSeq(i, 100 + i);
    }

    CommitGroup view = group.encodedOnly();

    assertEquals(group.size(), view.size());
    assertEquals(139, view.lastSeq());
    assertEquals(group.valueBytes(), view.valueBytes());
    for (int i = 0; i < events.length; i++) {
      assertSame(events[i], group.event(i), "the producer's decoded event is kept");
      LogEvent decoded = view.event(i);
      assertNotSame(events[i], decoded, "the view holds no decoded events");
      assertEquals(events[i], decoded);
      assertEquals(group.tenant(i), view.tenant(i));
      assertEquals(group.timeNanos(i), view.timeNanos(i));
      assertEquals(group.seq(i), view.seq(i));
      assertArrayEquals(group.value(i), view.value(i));
    }
  }
}
