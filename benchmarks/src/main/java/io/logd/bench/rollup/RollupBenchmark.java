package io.logd.bench.rollup;

import io.logd.bench.data.AccessLogs;
import io.logd.engine.Logd;
import io.logd.event.LogEvent;
import io.logd.rollup.Rollup;
import io.logd.rollup.RollupSet;
import io.logd.rollup.Section;
import io.logd.rollup.TopK;
import io.logd.store.CommitGroup;
import io.logd.store.EventCodec;
import io.logd.store.EventStore;
import io.logd.store.Retention;
import io.logd.store.StoreOptions;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-minute rollups ({@link RollupSet}) on their own, without the ingest pipeline or the
 * index: groups are built here and handed to {@link RollupSet#onCommit} as the pipeline's writer
 * would, over an {@link EventStore} that holds only rollup rows (the rollups never read events on
 * the commit path).
 *
 * <ul>
 *   <li>{@code accumulate}: events per second the rollup worker counts, flushes included (one
 *       operation is one event). Each invocation hands over 10 groups of 1,000 access events and
 *       waits with {@link RollupSet#awaitCounted()}, so the score is what the worker finished, not
 *       what was queued. Event time advances like a live feed at {@code eventsPerMinute}, and the
 *       worker flushes on its own 5 s timer as in production; {@code tenants} mixes several
 *       tenants into each group. {@code -prof gc} normalises to bytes per event; {@code
 *       buildGroups} is the harness alone (the groups the pipeline would build anyway), to
 *       subtract.
 *   <li>{@code flushInterval}: one flush as the worker does every 5 s of a live feed: the open
 *       minute (10,000 events counted in the untimed setup) merged into its minute, hour and day
 *       rows, which already exist and are full (every section read, merged, encoded, written).
 *       {@code -prof gc} counts the setup's allocation too.
 *   <li>Queries ({@code overview7d} ...): the calls behind {@code /api/v1/metrics} over a tenant
 *       with 7 days of rollups ending now, built in the trial setup from {@code events} events
 *       spread evenly over the week (50 M is about 5,000 a minute).
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'RollupBenchmark.(accumulate|buildGroups|flushInterval)' \
 *     -prof gc -jvm $JAVA_HOME/bin/java
 * java -jar benchmarks/target/benchmarks.jar 'RollupBenchmark.(overview|series|top)' \
 *     -p dir=/tmp/rollup-week -jvm $JAVA_HOME/bin/java
 * </pre>
 *
 * With {@code -p dir=...} the week is built once into that directory and reused by every query
 * benchmark (each runs in its own fork); without it every fork builds its own in a temp directory.
 * Delete the directory when the rollup row format changes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
public class RollupBenchmark {
  static final int TENANT = Logd.DEFAULT_TENANT;
  static final int GROUP = 1000;
  static final int GROUPS_PER_INVOCATION = 10;
  static final long MINUTE_NANOS = 60_000_000_000L;
  static final long WEEK_MINUTES = 7 * 1440;
  /** Events built once and handed over again and again (a power of two). */
  static final int POOL = 1 << 16;
  /** Events of one tenant in a row inside a group of the multi-tenant feed. */
  static final int TENANT_RUN = 100;
  /** Events queued at the worker before the week's builder waits, as the engine caps the rollup lag. */
  static final long MAX_LAG = 262_144;

  /** Pre-built events and their encoded values, as the pipeline hands them to listeners. */
  static final class Pool {
    final LogEvent[] events = new LogEvent[POOL];
    final byte[][] values = new byte[POOL][];

    Pool(long seed) {
      AccessLogs gen = new AccessLogs(seed);
      SplittableRandom rnd = new SplittableRandom(seed);
      long bytes = 0;
      for (int i = 0; i < POOL; i++) {
        events[i] = gen.next(rnd, 1_795_000_000_000_000_000L + i * 1000L);
        values[i] = EventCodec.local().encode(events[i]);
        bytes += values[i].length;
      }
      System.out.printf("%nevent pool: %,d access events, mean encoded %d bytes%n", POOL, bytes / POOL);
    }
  }

  // ---------------------------------------------------------------- accumulate

  /** A rollup set fed like a live feed: event time advancing at a steady rate. */
  @State(Scope.Benchmark)
  public static class Feed {
    /** Event-time density of the feed; 3,000,000 a minute is 50,000 events/s, the engine's ingest rate. */
    @Param("3000000")
    public long eventsPerMinute;

    /**
     * Tenants the feed's groups mix, in runs of 100 events (group commit merges the batches of
     * many senders), tenant 1 first.
     * Every tenant has its own open minutes, so this is what {@code maxOpenMinutes} sees.
     */
    @Param("1")
    public int tenants;

    Path dir;
    EventStore store;
    RollupSet rollups;
    Pool pool;
    long clock;
    long step;
    long next;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = Files.createTempDirectory("logd-rollup-feed");
      store = EventStore.open(dir, StoreOptions.DEFAULTS);
      rollups = RollupSet.open(store, RollupSet.Options.DEFAULTS);
      pool = new Pool(7);
      step = MINUTE_NANOS / eventsPerMinute;
      clock = System.currentTimeMillis() * 1_000_000L;
    }

    /** The next group of the feed; the events cycle through the pool, their times move on. */
    CommitGroup nextGroup() {
      CommitGroup g = new CommitGroup(GROUP);
      for (int i = 0; i < GROUP; i++) {
        long n = next++;
        int k = (int) (n & (POOL - 1));
        int tenant = TENANT + (int) (n / TENANT_RUN % tenants);
        g.add(tenant, clock += step, pool.values[k], pool.events[k]);
      }
      return g;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      System.out.printf("%nrollup lag at the end: %d events; store %,d bytes%n",
          rollups.lagEvents(), Retention.directorySize(dir));
      rollups.close();
      store.close();
      delete(dir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(GROUPS_PER_INVOCATION * GROUP)
  public long accumulate(Feed feed) throws IOException {
    for (int i = 0; i < GROUPS_PER_INVOCATION; i++) {
      // handed over one by one, so the worker counts while the next group is built
      feed.rollups.onCommit(feed.nextGroup());
    }
    feed.rollups.awaitCounted();
    return feed.rollups.lagEvents();
  }

  /** The harness of {@code accumulate} alone: building the groups, without the rollups. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(GROUPS_PER_INVOCATION * GROUP)
  public int buildGroups(Feed feed) {
    int n = 0;
    for (int i = 0; i < GROUPS_PER_INVOCATION; i++) {
      n += feed.nextGroup().size();
    }
    return n;
  }

  // ---------------------------------------------------------------- flush

  /**
   * A live feed at 50,000 events/s whose worker flushes only when asked: each invocation's setup
   * counts the next 5 s of event time (10,000 events of the 250,000 a real feed would have; a
   * flush's cost depends on the keys and sketches of the open minute, not on its event count).
   */
  @State(Scope.Benchmark)
  public static class Interval {
    static final long INTERVAL_NANOS = 5_000_000_000L;
    static final int EVENTS = GROUPS_PER_INVOCATION * GROUP;

    Path dir;
    EventStore store;
    RollupSet rollups;
    Pool pool;
    long clock;
    int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = Files.createTempDirectory("logd-rollup-flush");
      store = EventStore.open(dir, StoreOptions.DEFAULTS);
      // no timer flushes: the benchmark is the only flush
      rollups = RollupSet.open(store, new RollupSet.Options(TimeUnit.HOURS.toMillis(1), 16, 10_000));
      pool = new Pool(11);
      clock = System.currentTimeMillis() * 1_000_000L;
      // an hour of flushes first, so that hour and day rows are full-sized when measuring
      long t0 = System.nanoTime();
      for (int i = 0; i < 720; i++) {
        countInterval();
        rollups.flushNow();
      }
      System.out.printf("%nprefilled one hour of 5 s flushes in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Setup(Level.Invocation)
    public void countInterval() throws IOException {
      long step = INTERVAL_NANOS / EVENTS;
      for (int g = 0; g < GROUPS_PER_INVOCATION; g++) {
        CommitGroup group = new CommitGroup(GROUP);
        for (int i = 0; i < GROUP; i++) {
          int k = next++ & (POOL - 1);
          group.add(TENANT, clock += step, pool.values[k], pool.events[k]);
        }
        rollups.onCommit(group);
      }
      rollups.awaitCounted();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      rollups.close();
      store.close();
      delete(dir);
    }
  }

  @Benchmark
  public long flushInterval(Interval interval) throws IOException {
    interval.rollups.flushNow();
    return interval.rollups.checkpointSeq();
  }

  // ---------------------------------------------------------------- queries over a week

  /** One tenant's week of rollups, ending now. */
  @State(Scope.Benchmark)
  public static class Week {
    static final String MARKER = "rollup-week.properties";

    /** Events spread evenly over the 7 days (50 M is about 5,000 a minute). */
    @Param("50000000")
    public long events;

    /** Where to build the week and keep it for later forks and runs; empty: a temp dir, deleted after. */
    @Param("")
    public String dir;

    Path path;
    boolean keep;
    EventStore store;
    RollupSet rollups;
    /** Query span: the week is [end - 7 days, end), in epoch minutes. */
    long end;

    @Setup(Level.Trial)
    public void open() throws IOException {
      keep = !dir.isEmpty();
      path = keep ? Path.of(dir) : Files.createTempDirectory("logd-rollup-week");
      Path marker = path.resolve(MARKER);
      if (Files.exists(marker)) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(marker)) {
          p.load(r);
        }
        if (Long.parseLong(p.getProperty("events")) != events) {
          throw new IllegalStateException(path + " holds a week of " + p.getProperty("events")
              + " events, not " + events + "; use another dir or delete it");
        }
        end = Long.parseLong(p.getProperty("endMinute"));
        store = EventStore.open(path.resolve("store"), StoreOptions.DEFAULTS);
        rollups = RollupSet.open(store, RollupSet.Options.DEFAULTS);
        System.out.printf("%nreusing the week in %s (%,d events, ending %s)%n", path, events, Instant.ofEpochSecond(end * 60));
      } else {
        if (Files.exists(path.resolve("store"))) {
          throw new IllegalStateException(path + " has a store but no " + MARKER + " (an interrupted build?); delete it");
        }
        store = EventStore.open(path.resolve("store"), StoreOptions.DEFAULTS);
        rollups = RollupSet.open(store, RollupSet.Options.DEFAULTS);
        end = System.currentTimeMillis() / 60_000 + 1; // the current minute is the last one
        build();
        Properties p = new Properties();
        p.setProperty("events", Long.toString(events));
        p.setProperty("endMinute", Long.toString(end));
        try (Writer w = Files.newBufferedWriter(marker)) {
          p.store(w, "RollupBenchmark week");
        }
      }
      Rollup week = rollups.aggregate(TENANT, end - WEEK_MINUTES, end, EnumSet.of(Section.COUNTS, Section.SOURCE_IP));
      if (week.total() != events) {
        throw new IllegalStateException("the week counts " + week.total() + " events, expected " + events);
      }
      TopK ips = week.top(Section.SOURCE_IP);
      System.out.printf("the week: %,d events, %,d errors; top source_ip %s (max error %,d)%n",
          week.total(), week.errors(), ips.items(3), ips.maxError());
    }

    /**
     * Counts {@code events} events, in time order and evenly spaced, over the week: the groups go
     * to {@code onCommit} as from the pipeline, at most {@link #MAX_LAG} events ahead of the worker.
     */
    private void build() throws IOException {
      Pool pool = new Pool(3);
      SplittableRandom rnd = new SplittableRandom(5);
      long startNanos = (end - WEEK_MINUTES) * MINUTE_NANOS;
      double spacing = (double) (WEEK_MINUTES * MINUTE_NANOS) / events;
      long begin = System.nanoTime();
      long lastReport = begin;
      for (long from = 0; from < events; from += GROUP) {
        int n = (int) Math.min(GROUP, events - from);
        CommitGroup g = new CommitGroup(n);
        for (int i = 0; i < n; i++) {
          int k = rnd.nextInt(POOL); // random picks, so no minute repeats another's events
          g.add(TENANT, startNanos + (long) ((from + i) * spacing), pool.values[k], pool.events[k]);
        }
        while (rollups.lagEvents() > MAX_LAG) {
          LockSupport.parkNanos(200_000);
        }
        rollups.onCommit(g);
        if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
          lastReport = System.nanoTime();
          double secs = (lastReport - begin) / 1e9;
          System.out.printf("  %,d of %,d events counted into the week (%.0f s, %,.0f events/s)%n",
              from - rollups.lagEvents(), events, secs, (from - rollups.lagEvents()) / secs);
        }
      }
      rollups.awaitCounted();
      rollups.flushNow();
      double secs = (System.nanoTime() - begin) / 1e9;
      store.flush();
      System.out.printf("built the week: %,d events in %.1f s (%,.0f events/s, flushes included); store %,d bytes%n",
          events, secs, events / secs, Retention.directorySize(store.dir()));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      rollups.close();
      store.close();
      if (!keep) {
        delete(path);
      }
    }
  }

  static final Set<Section> OVERVIEW = EnumSet.of(Section.COUNTS, Section.LEVEL, Section.LATENCY);

  /** {@code /metrics/overview} over 7 days: totals, errors, bytes, by level, latency percentiles. */
  @Benchmark
  public double overview7d(Week week) throws IOException {
    return overview(week, WEEK_MINUTES);
  }

  @Benchmark
  public double overview1h(Week week) throws IOException {
    return overview(week, 60);
  }

  private static double overview(Week week, long minutes) throws IOException {
    Rollup r = week.rollups.aggregate(TENANT, week.end - minutes, week.end, OVERVIEW);
    Histogram h = r.latency();
    return r.total() + r.errors() + r.bytes() + r.counts(Section.LEVEL).size()
        + h.getValueAtPercentile(50) + h.getValueAtPercentile(95) + h.getValueAtPercentile(99);
  }

  /** {@code /metrics/timeseries?step=1m&by=level} over 7 days: 10,080 points per level. */
  @Benchmark
  public int seriesByLevel7dStep1m(Week week) throws IOException {
    return series(week, WEEK_MINUTES, 1, Section.LEVEL);
  }

  /** {@code /metrics/timeseries?step=1h&by=service} over 7 days: 168 points per service. */
  @Benchmark
  public int seriesByService7dStep1h(Week week) throws IOException {
    return series(week, WEEK_MINUTES, 60, Section.SERVICE);
  }

  /** Reads the buckets and pivots them into one array per key, as the metrics API does. */
  private static int series(Week week, long minutes, long step, Section section) throws IOException {
    List<Rollup> buckets = week.rollups.series(TENANT, week.end - minutes, week.end, step, EnumSet.of(section));
    Map<String, long[]> series = new HashMap<>();
    for (int i = 0; i < buckets.size(); i++) {
      for (Map.Entry<String, Long> e : buckets.get(i).counts(section).entrySet()) {
        series.computeIfAbsent(e.getKey(), k -> new long[buckets.size()])[i] += e.getValue();
      }
    }
    return series.size() * buckets.size();
  }

  /** {@code /metrics/top?dimension=source_ip&limit=10} over 7 days. */
  @Benchmark
  public List<TopK.Item> topSourceIp7d(Week week) throws IOException {
    return top(week, WEEK_MINUTES);
  }

  @Benchmark
  public List<TopK.Item> topSourceIp1h(Week week) throws IOException {
    return top(week, 60);
  }

  private static List<TopK.Item> top(Week week, long minutes) throws IOException {
    return week.rollups.aggregate(TENANT, week.end - minutes, week.end, EnumSet.of(Section.SOURCE_IP))
        .top(Section.SOURCE_IP).items(10);
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
