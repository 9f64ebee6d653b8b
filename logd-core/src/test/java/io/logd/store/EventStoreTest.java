package io.logd.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.EventId;
import io.logd.event.LogEvent;
import io.logd.event.StoredEvent;
import io.logd.testing.TestEvents;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
  @TempDir Path dir;

  static final long T0 = 1_795_000_000_000_000_000L;

  static CommitGroup group(int tenant, List<LogEvent> events) {
    CommitGroup g = new CommitGroup(events.size());
    EventCodec codec = new EventCodec();
    for (LogEvent e : events) {
      g.add(tenant, e.timestampNanos(), codec.encode(e), null);
    }
    return g;
  }

  static List<LogEvent> events(int n, long startNanos, long stepNanos) {
    SplittableRandom rnd = new SplittableRandom(n);
    List<LogEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(TestEvents.nginx(rnd, startNanos + i * stepNanos, i));
    }
    return out;
  }

  @Test
  void commitAssignsConsecutiveSeqsAndReadsBack() throws IOException {
    List<LogEvent> events = events(100, T0, 1_000);
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      CommitGroup g = group(1, events);
      long first = store.commit(g, true);
      assertEquals(1, first);
      assertEquals(100, store.lastSeq());
      for (int i = 0; i < 100; i++) {
        assertEquals(first + i, g.seq(i));
        EventId id = new EventId(events.get(i).timestampNanos(), g.seq(i));
        assertEquals(events.get(i), store.get(1, id).orElseThrow().event());
      }
      long second = store.commit(group(1, events(5, T0, 1)), false);
      assertEquals(101, second);
    }
  }

  @Test
  void seqSurvivesReopen() throws IOException {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      store.commit(group(1, events(10, T0, 1)), true);
    }
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      assertEquals(10, store.lastSeq());
      assertEquals(11, store.commit(group(1, events(1, T0, 1)), true));
    }
  }

  @Test
  void tenantsAreIsolated() throws IOException {
    LogEvent e = events(1, T0, 1).get(0);
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      CommitGroup g = group(1, List.of(e));
      store.commit(g, true);
      EventId id = new EventId(e.timestampNanos(), g.seq(0));
      assertTrue(store.get(1, id).isPresent());
      assertTrue(store.get(2, id).isEmpty(), "another tenant's ID answers nothing");
      List<StoredEvent> seen = new ArrayList<>();
      store.scan(2, 0, Long.MAX_VALUE, false, seen::add);
      assertTrue(seen.isEmpty());
      assertEquals(List.of(1), store.tenants());
    }
  }

  @Test
  void scanHonoursBoundsAndOrder() throws IOException {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      store.commit(group(1, events(50, T0, 1_000)), true);
      store.commit(group(2, events(50, T0, 1_000)), true);
      store.commit(group(3, events(50, T0, 1_000)), true);
      List<Long> times = new ArrayList<>();
      store.scan(2, T0 + 10_000, T0 + 20_000, false, e -> times.add(e.id().timeNanos()));
      assertEquals(10, times.size());
      assertEquals(T0 + 10_000, times.get(0));
      assertEquals(T0 + 19_000, times.get(9));
      times.clear();
      store.scan(2, T0, T0 + 50_000, true, e -> times.add(e.id().timeNanos()) && times.size() < 3);
      assertEquals(List.of(T0 + 49_000, T0 + 48_000, T0 + 47_000), times);
      assertEquals(List.of(1, 2, 3), store.tenants());
      assertEquals(T0, store.oldestEventTime(3).orElseThrow());
      assertEquals(T0 + 49_000, store.newestEventTime(3).orElseThrow());
      assertTrue(store.newestEventTime(4).isEmpty());
    }
  }

  @Test
  void multiGetKeepsOrderAndSkipsMissing() throws IOException {
    List<LogEvent> events = events(10, T0, 1);
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      CommitGroup g = group(1, events);
      store.commit(g, true);
      List<EventId> ids = List.of(
          new EventId(events.get(7).timestampNanos(), g.seq(7)),
          new EventId(1, 1),
          new EventId(events.get(2).timestampNanos(), g.seq(2)));
      List<StoredEvent> got = store.multiGet(1, ids);
      assertEquals(2, got.size());
      assertEquals(events.get(7), got.get(0).event());
      assertEquals(events.get(2), got.get(1).event());
    }
  }

  @Test
  void pendingTracksGroupsUntilTrimmed() throws IOException {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      store.commit(group(1, events(3, T0, 1)), true); // seqs 1..3
      store.commit(group(1, events(3, T0, 1)), true); // seqs 4..6
      assertEquals(2, store.pendingGroups());
      List<Long> seqs = new ArrayList<>();
      store.forEachPendingAfter(2, key -> seqs.add(Keys.seqOf(key)));
      assertEquals(List.of(3L, 4L, 5L, 6L), seqs);
      store.trimPending(4); // group 4..6 straddles: kept
      assertEquals(1, store.pendingGroups());
      store.trimPending(6);
      assertEquals(0, store.pendingGroups());
    }
  }

  @Test
  void deleteRangeRemovesOnlyThatSpanOfThatTenant() throws IOException {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      store.commit(group(1, events(100, T0, 1_000)), true);
      store.commit(group(2, events(100, T0, 1_000)), true);
      store.deleteRange(1, T0, T0 + 50_000);
      long[] count = {0};
      store.scan(1, 0, Long.MAX_VALUE, false, e -> ++count[0] > 0);
      assertEquals(50, count[0]);
      assertEquals(T0 + 50_000, store.oldestEventTime(1).orElseThrow());
      count[0] = 0;
      store.scan(2, 0, Long.MAX_VALUE, false, e -> ++count[0] > 0);
      assertEquals(100, count[0]);
    }
  }
}
