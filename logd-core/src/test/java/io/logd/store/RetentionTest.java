package io.logd.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.LogEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  @TempDir Path dir;

  static final LocalDate DAY0 = LocalDate.of(2026, 11, 1);
  static final long HOUR = 3_600_000_000_000L;
  static final long DAY = 24 * HOUR;

  /** 5 days of events for tenants 1 and 2, every 15 minutes, ending on DAY0 + 4. */
  private void fill(EventStore store) throws IOException {
    long start = Retention.dayStartNanos(DAY0);
    List<LogEvent> events = new ArrayList<>();
    for (long t = start; t < start + 5 * DAY; t += 15 * 60_000_000_000L) {
      events.add(LogEvent.builder().timestampNanos(t).receivedNanos(t).message("x".repeat(2000) + t).build());
    }
    store.commit(EventStoreTest.group(1, events), true);
    store.commit(EventStoreTest.group(2, events.subList(0, events.size() / 2)), true);
    store.flush();
  }

  private static long count(EventStore store, int tenant) throws IOException {
    long[] n = {0};
    store.scan(tenant, 0, Long.MAX_VALUE, false, e -> ++n[0] > 0);
    return n[0];
  }

  @Test
  void ageDropsWholeDaysOlderThanTheCutoff() throws IOException {
    try (EventStore store = EventStore.open(dir.resolve("store"), StoreOptions.DEFAULTS)) {
      fill(store);
      List<LocalDate> told = new ArrayList<>();
      Retention retention = new Retention(store, dir, List.of(told::add));
      // now = DAY0+4 12:00, max age 2.5 days: the cutoff falls on DAY0+2 00:00 → DAY0, DAY0+1 go.
      long now = Retention.dayStartNanos(DAY0.plusDays(4)) + 12 * HOUR;
      Retention.Report report = retention.apply(now, 2 * DAY + 12 * HOUR, Long.MAX_VALUE);
      assertEquals(List.of(DAY0, DAY0.plusDays(1)), report.droppedDays());
      assertEquals(told, report.droppedDays(), "listeners hear of each dropped day");
      assertEquals(DAY0.plusDays(2), retention.oldestDay().orElseThrow());
      assertEquals(3 * 96, count(store, 1));
      assertEquals(96 / 2, count(store, 2), "tenant 2 had 2.5 days; its half day on DAY0+2 stays");
      // Idempotent: running again drops nothing.
      assertTrue(retention.apply(now, 2 * DAY + 12 * HOUR, Long.MAX_VALUE).droppedDays().isEmpty());
    }
  }

  @Test
  void zeroAgeKeepsEverything() throws IOException {
    try (EventStore store = EventStore.open(dir.resolve("store"), StoreOptions.DEFAULTS)) {
      fill(store);
      Retention retention = new Retention(store, dir, List.of());
      assertTrue(retention.apply(Long.MAX_VALUE / 2, 0, Long.MAX_VALUE).droppedDays().isEmpty());
      assertEquals(5 * 96, count(store, 1));
    }
  }

  @Test
  void diskBudgetDropsOldestDaysUntilUnderButNeverTheNewest() throws IOException {
    try (EventStore store = EventStore.open(dir.resolve("store"), StoreOptions.DEFAULTS)) {
      fill(store);
      Retention retention = new Retention(store, dir, List.of());
      long size = Retention.directorySize(dir);
      // A budget of about half: the oldest days go, oldest first, until it fits.
      Retention.Report half = retention.apply(0, 0, size / 2);
      assertFalse(half.droppedDays().isEmpty());
      assertEquals(DAY0, half.droppedDays().get(0));
      assertTrue(half.bytesAfter() <= size / 2 || half.overBudget(), half.toString());
      assertTrue(count(store, 1) > 0);
      // A budget of 1 byte cannot be met: everything but the newest day goes, and that is reported.
      Retention.Report tiny = retention.apply(0, 0, 1);
      assertTrue(tiny.overBudget());
      assertEquals(DAY0.plusDays(4), retention.oldestDay().orElseThrow());
      assertEquals(96, count(store, 1));
    }
  }
}
