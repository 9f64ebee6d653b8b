package io.logd.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.event.LogEvent;
import io.logd.ingest.IngestPipeline;
import io.logd.query.Searcher;
import io.logd.query.TimeRange;
import io.logd.testing.RollupOracle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized checks of the rollups against brute-force counts over the stored events, with late
 * and out-of-order events, several tenants, restarts, rebuilds, deletes and retention; and of
 * hits and stats answered from rollups against the same answers from the index. Each test prints
 * its seed; rerun one with {@code -Drollup.seed=N}.
 */
class RollupSetTest {
  private static final long MINUTE = 60_000_000_000L;
  private static final long DAY = 1440 * MINUTE;
  private static final int[] TENANTS = {Logd.DEFAULT_TENANT, 7, 9};

  @TempDir Path dir;

  private static long seed(String test) {
    long seed = Long.getLong("rollup.seed", System.nanoTime());
    System.out.println("RollupSetTest." + test + " seed=" + seed);
    return seed;
  }

  private static LogdConfig config(Path dir, boolean rollups, int maxOpenMinutes, int maxKeys) {
    LogdConfig d = LogdConfig.defaults().withDataDir(dir);
    return new LogdConfig(dir, d.http(), d.syslog(), d.auth(), d.ingest(), d.storage(), d.index(),
        new LogdConfig.Rollups(rollups, Duration.ofMillis(200), maxOpenMinutes, maxKeys));
  }

  private static void ingest(Logd logd, int tenant, List<LogEvent> events) throws Exception {
    IngestPipeline.Accepted a = assertInstanceOf(IngestPipeline.Accepted.class, logd.ingest(tenant, events));
    a.ack().get();
  }

  /** Live events moving forward, with late ones (up to two days back) and out-of-order ones. */
  private static List<LogEvent> batch(SplittableRandom rnd, long[] clock, int size) {
    List<LogEvent> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      clock[0] += rnd.nextLong(20 * MINUTE / Math.max(1, size));
      long t = switch (rnd.nextInt(10)) {
        case 0, 1 -> clock[0] - rnd.nextLong(2 * DAY); // late
        case 2 -> clock[0] - rnd.nextLong(10 * MINUTE); // out of order
        default -> clock[0];
      };
      out.add(RollupOracle.event(rnd, Math.max(0, t)));
    }
    return out;
  }

  @Test
  void randomIngestMatchesBruteForceAcrossFlushesRestartAndRebuild() throws Exception {
    long seed = seed("randomIngest");
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] clock = {Instant.parse("2026-11-20T22:17:31Z").getEpochSecond() * 1_000_000_000L};
    try (Logd logd = Logd.builder().config(config(dir, true, 1 + rnd.nextInt(20), 10_000)).open()) {
      for (int b = 0; b < 30; b++) {
        ingest(logd, TENANTS[rnd.nextInt(TENANTS.length)], batch(rnd, clock, 1 + rnd.nextInt(400)));
        if (rnd.nextInt(4) == 0) {
          logd.rollups().orElseThrow().flushNow();
        }
      }
      for (int tenant : TENANTS) {
        RollupOracle.check(logd, tenant, rnd, 15, "seed " + seed + " tenant " + tenant + " live");
      }
      compareWithIndex(logd, rnd, "seed " + seed + " live");
    }
    try (Logd logd = Logd.builder().config(config(dir, true, 16, 10_000)).open()) {
      for (int tenant : TENANTS) {
        RollupOracle.check(logd, tenant, rnd, 10, "seed " + seed + " tenant " + tenant + " after restart");
      }
      Rollup before = logd.rollups().orElseThrow().aggregate(TENANTS[0], 0, Long.MAX_VALUE / MINUTE, EnumSet.allOf(Section.class));
      long counted = logd.rollups().orElseThrow().rebuild();
      assertEquals(RollupOracle.stored(logd, TENANTS[0]).size() + RollupOracle.stored(logd, 7).size()
          + RollupOracle.stored(logd, 9).size(), counted, "seed " + seed + ": events counted by rebuild");
      Rollup after = logd.rollups().orElseThrow().aggregate(TENANTS[0], 0, Long.MAX_VALUE / MINUTE, EnumSet.allOf(Section.class));
      assertEquals(before.total(), after.total());
      assertEquals(before.counts(Section.HOST), after.counts(Section.HOST));
      for (int tenant : TENANTS) {
        RollupOracle.check(logd, tenant, rnd, 10, "seed " + seed + " tenant " + tenant + " after rebuild");
      }
    }
  }

  /** Hits and stats from the rollups equal the same from the index, edges and filters included. */
  private static void compareWithIndex(Logd logd, SplittableRandom rnd, String context) throws Exception {
    logd.index().awaitSearchable();
    Searcher s = logd.searcher();
    List<String> queries = List.of("", "*", "level:error", "level:warning", "service:api", "host:web-0", "host:web-3");
    long from0 = RollupOracle.stored(logd, TENANTS[0]).stream().mapToLong(r -> r.minute()).min().orElse(0) * MINUTE;
    int fromRollups = 0;
    for (int i = 0; i < 25; i++) {
      int tenant = TENANTS[rnd.nextInt(TENANTS.length)];
      String q = queries.get(rnd.nextInt(queries.size()));
      long from = from0 - DAY / 2 + rnd.nextLong(3 * DAY);
      long to = from + rnd.nextLong(1, 2 * DAY);
      TimeRange range = i == 0 ? TimeRange.ALL : new TimeRange(from, to);
      long step = new long[] {MINUTE, 5 * MINUTE, 60 * MINUTE, 1440 * MINUTE}[rnd.nextInt(4)];
      String where = context + " tenant " + tenant + " q '" + q + "' range " + range + " step " + step;
      Searcher.Hits viaRollups = s.hits(tenant, q, range, step, true);
      Searcher.Hits viaIndex = s.hits(tenant, q, range, step, false);
      assertEquals(Searcher.Source.INDEX, viaIndex.source());
      assertEquals(viaIndex.total(), viaRollups.total(), where + ": hits total");
      assertEquals(viaIndex.buckets(), viaRollups.buckets(), where + ": hits buckets");
      Searcher.Stats a = s.stats(tenant, q, range, true);
      Searcher.Stats b = s.stats(tenant, q, range, false);
      assertEquals(b.total(), a.total(), where + ": stats total");
      assertEquals(b.byLevel(), a.byLevel(), where + ": stats by level");
      assertEquals(List.copyOf(b.byLevel().keySet()), List.copyOf(a.byLevel().keySet()), where + ": level order");
      assertEquals(b.byService(), a.byService(), where + ": stats by service");
      assertEquals(b.uniqueHosts(), a.uniqueHosts(), where + ": unique hosts");
      if (viaRollups.source() == Searcher.Source.ROLLUPS) {
        fromRollups++;
      }
    }
    assertTrue(fromRollups > 5, context + ": only " + fromRollups + " of 25 hits came from the rollups");
  }

  @Test
  void keysPastTheCapAreCountedAsOverflowAndStatsFallBackToTheIndex() throws Exception {
    long seed = seed("caps");
    SplittableRandom rnd = new SplittableRandom(seed);
    long t0 = Instant.parse("2026-11-22T10:00:00Z").getEpochSecond() * 1_000_000_000L;
    try (Logd logd = Logd.builder().config(config(dir, true, 16, 3)).open()) {
      List<LogEvent> events = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        events.add(LogEvent.builder().timestampNanos(t0 + rnd.nextLong(30 * MINUTE)).host("h-" + rnd.nextInt(10))
            .service("s").message("m").build());
      }
      ingest(logd, Logd.DEFAULT_TENANT, events);
      RollupSet rollups = logd.rollups().orElseThrow();
      rollups.awaitCounted();
      Rollup r = rollups.aggregate(Logd.DEFAULT_TENANT, t0 / MINUTE, t0 / MINUTE + 30, EnumSet.of(Section.COUNTS, Section.HOST));
      assertEquals(500, r.total());
      assertTrue(r.overflow(Section.HOST) > 0);
      assertEquals(500, r.counts(Section.HOST).values().stream().mapToLong(Long::longValue).sum() + r.overflow(Section.HOST));
      logd.index().awaitSearchable();
      TimeRange range = new TimeRange(t0, t0 + 30 * MINUTE);
      Searcher.Stats stats = logd.searcher().stats(Logd.DEFAULT_TENANT, "", range);
      assertEquals(Searcher.Source.INDEX, stats.source(), "an overflowed host count cannot give unique hosts");
      assertEquals(10, stats.uniqueHosts());
      Searcher.Hits hits = logd.searcher().hits(Logd.DEFAULT_TENANT, "host:h-7", range, MINUTE);
      assertEquals(logd.searcher().hits(Logd.DEFAULT_TENANT, "host:h-7", range, MINUTE, false).buckets(), hits.buckets());
      assertEquals(Searcher.Source.ROLLUPS, logd.searcher().hits(Logd.DEFAULT_TENANT, "", range, MINUTE).source());
    }
  }

  @Test
  void deleteBeforeAndRetentionRecountTheRollups() throws Exception {
    long seed = seed("delete");
    SplittableRandom rnd = new SplittableRandom(seed);
    long t0 = Instant.parse("2026-11-18T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    LogdConfig base = config(dir, true, 16, 10_000);
    LogdConfig.Storage st = base.storage();
    LogdConfig config = new LogdConfig(dir, base.http(), base.syslog(), base.auth(), base.ingest(),
        new LogdConfig.Storage(new LogdConfig.Retention(Duration.ofDays(3), st.retention().maxDisk(), Duration.ofDays(1)),
            st.minFreeDiskBytes(), st.rocksdb()),
        base.index(), base.rollups());
    Clock clock = Clock.fixed(Instant.ofEpochSecond((t0 + 5 * DAY) / 1_000_000_000L), ZoneOffset.UTC);
    try (Logd logd = Logd.builder().config(config).clock(clock).open()) {
      for (int tenant : TENANTS) {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
          events.add(RollupOracle.event(rnd, t0 + rnd.nextLong(5 * DAY)));
        }
        ingest(logd, tenant, events);
      }
      Instant cut = Instant.ofEpochSecond((t0 + 3 * DAY + rnd.nextLong(DAY)) / 1_000_000_000L, 123_456_789);
      logd.deleteBefore(TENANTS[1], cut);
      for (int tenant : TENANTS) {
        RollupOracle.check(logd, tenant, rnd, 10, "seed " + seed + " tenant " + tenant + " after delete before " + cut);
      }
      assertTrue(logd.applyRetention().droppedDays().size() >= 2);
      for (int tenant : TENANTS) {
        RollupOracle.check(logd, tenant, rnd, 10, "seed " + seed + " tenant " + tenant + " after retention");
        assertEquals(0, logd.rollups().orElseThrow()
            .aggregate(tenant, 0, (t0 + 2 * DAY) / MINUTE, EnumSet.allOf(Section.class)).total());
      }
    }
  }

  @Test
  void turningRollupsOnRebuildsThemFromTheStoredEvents() throws Exception {
    long seed = seed("turnOn");
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] clock = {Instant.parse("2026-11-21T08:00:00Z").getEpochSecond() * 1_000_000_000L};
    try (Logd logd = Logd.builder().config(config(dir, true, 16, 10_000)).open()) {
      ingest(logd, TENANTS[0], batch(rnd, clock, 300));
    }
    try (Logd logd = Logd.builder().config(config(dir, false, 16, 10_000)).open()) {
      assertTrue(logd.rollups().isEmpty());
      ingest(logd, TENANTS[0], batch(rnd, clock, 300));
      ingest(logd, TENANTS[2], batch(rnd, clock, 300));
    }
    try (Logd logd = Logd.builder().config(config(dir, true, 16, 10_000)).open()) {
      logd.rollups().orElseThrow().awaitCounted();
      for (int tenant : TENANTS) {
        RollupOracle.check(logd, tenant, rnd, 10, "seed " + seed + " tenant " + tenant + " after turning rollups on");
      }
    }
  }
}
