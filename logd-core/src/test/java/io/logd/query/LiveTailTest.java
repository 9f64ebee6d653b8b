package io.logd.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.event.StoredEvent;
import io.logd.ingest.IngestPipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveTailTest {
  @TempDir Path dir;

  static LogEvent event(int i, Severity level, int status) {
    return LogEvent.builder().message("tail line " + i).level(level).service("api").field("status", status)
        .field("i", i).build();
  }

  static void ingest(Logd logd, int tenant, List<LogEvent> events) throws Exception {
    assertInstanceOf(IngestPipeline.Accepted.class, logd.ingest(tenant, events)).ack().get(10, TimeUnit.SECONDS);
  }

  @Test
  void subscribersGetOnlyNewMatchingEventsOfTheirTenant() throws Exception {
    try (Logd logd = Logd.builder().config(LogdConfig.defaults().withDataDir(dir)).open()) {
      ingest(logd, 1, List.of(event(0, Severity.ERROR, 500))); // before subscribing: not tailed
      try (LiveTail.Subscription errors = logd.tail().subscribe(1, "level:error AND status:>=500", 100);
          LiveTail.Subscription all = logd.tail().subscribe(1, "", 100)) {
        ingest(logd, 2, List.of(event(1, Severity.ERROR, 500))); // another tenant
        ingest(logd, 1, List.of(event(2, Severity.INFO, 200), event(3, Severity.ERROR, 503), event(4, Severity.ERROR, 404)));
        StoredEvent e = errors.poll(10, TimeUnit.SECONDS);
        assertEquals("tail line 3", e.event().message());
        assertNull(errors.poll(300, TimeUnit.MILLISECONDS));
        List<String> got = new ArrayList<>();
        StoredEvent x;
        while ((x = all.poll(300, TimeUnit.MILLISECONDS)) != null) {
          got.add(x.event().message());
        }
        assertEquals(List.of("tail line 2", "tail line 3", "tail line 4"), got);
      }
      assertEquals(0, logd.tail().subscriberCount());
    }
  }

  /** Patterns over parts rewrite against each event's in-memory index as they do against a day's. */
  @Test
  void aPatternOverPartsFiltersTheTail() throws Exception {
    try (Logd logd = Logd.builder().config(LogdConfig.defaults().withDataDir(dir)).open();
        LiveTail.Subscription subnet = logd.tail().subscribe(1, "10.1.2* AND *.example.com", 100)) {
      ingest(logd, 1, List.of(
          LogEvent.builder().message("GET from 10.1.2.30 for shop.example.com").build(),
          LogEvent.builder().message("GET from 10.1.3.30 for shop.example.com").build(),
          LogEvent.builder().message("GET from 10.1.20.7 for example.com").build(),
          LogEvent.builder().message("GET from 10.1.25.7 via cdn.example.com:443").build()));
      List<String> got = new ArrayList<>();
      StoredEvent x;
      while ((x = subnet.poll(500, TimeUnit.MILLISECONDS)) != null) {
        got.add(x.event().message());
      }
      // a '*' piece at either end is dropped: "*.example.com" is the phrase "example com"
      assertEquals(List.of("GET from 10.1.2.30 for shop.example.com", "GET from 10.1.20.7 for example.com",
          "GET from 10.1.25.7 via cdn.example.com:443"), got);
    }
  }

  @Test
  void aSlowSubscriberMissesEventsButIngestDoesNotWait() throws Exception {
    try (Logd logd = Logd.builder().config(LogdConfig.defaults().withDataDir(dir)).open();
        LiveTail.Subscription slow = logd.tail().subscribe(1, "", 5)) {
      List<LogEvent> events = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        events.add(event(i, Severity.INFO, 200));
      }
      ingest(logd, 1, events);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (slow.dropped() < 95 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(95, slow.dropped());
      assertEquals(95, logd.tail().droppedEvents(), "the engine-wide count");
      assertEquals("tail line 0", slow.poll(1, TimeUnit.SECONDS).event().message());
    }
  }

  @Test
  void aBadFilterIsRefusedAtSubscribe() throws Exception {
    try (Logd logd = Logd.builder().config(LogdConfig.defaults().withDataDir(dir)).open()) {
      assertThrows(QuerySyntaxException.class, () -> logd.tail().subscribe(1, "level:(error", 10));
    }
  }
}
