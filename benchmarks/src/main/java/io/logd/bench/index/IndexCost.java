package io.logd.bench.index;

import com.sun.management.OperatingSystemMXBean;
import io.logd.bench.data.Dataset;
import io.logd.engine.Logd;
import io.logd.event.LogEvent;
import io.logd.index.IndexSet;
import io.logd.store.CommitGroup;
import io.logd.store.EventCodec;
import io.logd.store.EventStore;
import io.logd.store.Retention;
import io.logd.store.StoreOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The CPU the index side spends per event, at a fixed ingest rate: the indexer, its NRT refreshes,
 * commits and Lucene's merges, as {@link IndexSet} runs them in production, fed commit groups of
 * 1,000 events on a fixed schedule. Unlike a throughput score, CPU per event does not depend on how
 * much else the two cores are doing, so two builds compare within a few per cent.
 *
 * <pre>
 * java -Xmx3g --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.logd.bench.index.IndexCost [dataset=access] [rate=30000] [warmup=30] [seconds=60] [disorderMs=0] \
 *     [refreshMs=IndexSet.Options.DEFAULTS]
 * </pre>
 *
 * Events are stamped from the wall clock as a server stamps receive times; {@code disorderMs} moves
 * each back by up to that many milliseconds (uniformly), as concurrently parsed batches and
 * shippers' clocks do. The report gives cores busy, microseconds of CPU per indexed event (whole
 * process, and per thread group: indexer, merges, refresh, the rest of the JVM), and the lag left.
 */
public final class IndexCost {
  private static final int POOL = 1 << 16;
  private static final int GROUP = 1000;
  /** The engine refuses ingest past this index lag; the feeder skips a slot instead. */
  private static final int LAG_CAP = 65_536;

  private IndexCost() {}

  public static void main(String[] args) throws Exception {
    String dataset = arg(args, 0, "access");
    int rate = Integer.parseInt(arg(args, 1, "30000"));
    int warmup = Integer.parseInt(arg(args, 2, "30"));
    int seconds = Integer.parseInt(arg(args, 3, "60"));
    long disorderNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(arg(args, 4, "0")));
    IndexSet.Options defaults = IndexSet.Options.DEFAULTS;
    long refreshMillis = Long.parseLong(arg(args, 5, Long.toString(defaults.refreshIntervalMillis())));
    IndexSet.Options options =
        new IndexSet.Options(refreshMillis, defaults.commitIntervalMillis(), defaults.limits(), defaults.threads());
    System.out.printf("IndexCost dataset=%s rate=%d warmup=%ds seconds=%ds disorder=%dms refresh=%dms cores=%d%n", dataset,
        rate, warmup, seconds, TimeUnit.NANOSECONDS.toMillis(disorderNanos), refreshMillis,
        Runtime.getRuntime().availableProcessors());

    Dataset data = Dataset.of(dataset, 1);
    LogEvent[] events = new LogEvent[POOL];
    byte[][] values = new byte[POOL][];
    long t0 = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < POOL; i++) {
      events[i] = data.next(t0);
      values[i] = EventCodec.local().encode(events[i]);
    }

    Path dir = Files.createTempDirectory("logd-index-cost");
    OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    SplittableRandom rnd = new SplittableRandom(1);
    try (EventStore store = EventStore.open(dir.resolve("store"), StoreOptions.DEFAULTS);
        IndexSet index = IndexSet.open(dir.resolve("index"), store, options)) {
      long periodNanos = TimeUnit.SECONDS.toNanos(1) * GROUP / rate;
      long start = System.nanoTime();
      long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
      long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
      long wallBase = System.currentTimeMillis() * 1_000_000L - start;
      long next = start;
      int k = 0;
      long skipped = 0;
      boolean measuring = false;
      long cpu0 = 0;
      long indexed0 = 0;
      Map<String, Long> threads0 = Map.of();
      while (true) {
        long now = System.nanoTime();
        if (!measuring && now >= measureFrom) {
          measuring = true;
          cpu0 = os.getProcessCpuTime();
          indexed0 = index.indexedEvents();
          threads0 = cpuByGroup(threads);
        }
        if (now >= end) {
          break;
        }
        if (now < next) {
          LockSupport.parkNanos(next - now);
          continue;
        }
        next += periodNanos;
        if (index.lagEvents() > LAG_CAP) {
          skipped += GROUP;
          continue;
        }
        CommitGroup g = new CommitGroup(GROUP);
        long time = wallBase + now;
        for (int i = 0; i < GROUP; i++, k = (k + 1) & (POOL - 1)) {
          long t = disorderNanos == 0 ? time + i : time + i - rnd.nextLong(disorderNanos);
          g.add(Logd.DEFAULT_TENANT, t, values[k], events[k]);
        }
        index.onCommit(g);
      }
      long cpu = os.getProcessCpuTime() - cpu0;
      long indexed = index.indexedEvents() - indexed0;
      Map<String, Long> threads1 = cpuByGroup(threads);
      double secs = seconds;
      System.out.printf("indexed %,d events in %d s (%,.0f/s), skipped %,d at the lag cap, lag left %,d%n", indexed,
          seconds, indexed / secs, skipped, index.lagEvents());
      System.out.printf("cpu %.2f cores busy, %.1f us per indexed event%n", cpu / 1e9 / secs, cpu / 1e3 / indexed);
      long javaThreads = 0;
      for (Map.Entry<String, Long> e : threads1.entrySet()) {
        long d = e.getValue() - threads0.getOrDefault(e.getKey(), 0L);
        javaThreads += d;
        System.out.printf("  %-16s %5.1f us/event%n", e.getKey(), d / 1e3 / indexed);
      }
      System.out.printf("  %-16s %5.1f us/event%n", "rest", (cpu - javaThreads) / 1e3 / indexed);
      index.commitNow();
      long bytes = Retention.directorySize(dir.resolve("index"));
      System.out.printf("index %,d bytes, %.1f bytes/event%n", bytes, (double) bytes / index.indexedEvents());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** CPU nanoseconds of live threads, summed by role (threads that ended are lost: merges are long-lived). */
  private static Map<String, Long> cpuByGroup(ThreadMXBean threads) {
    Map<String, Long> out = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long t = threads.getThreadCpuTime(info.getThreadId());
      if (t < 0) {
        continue;
      }
      String name = info.getThreadName();
      String group = name.startsWith("logd-indexer") ? "indexer"
          : name.startsWith("Lucene Merge") ? "merges"
          : name.startsWith("logd-index-refresh") ? "refresh"
          : name.startsWith("main") ? "feeder"
          : "other";
      out.merge(group, t, Long::sum);
    }
    return out;
  }

  private static String arg(String[] args, int i, String dflt) {
    return args.length > i ? args[i] : dflt;
  }
}
