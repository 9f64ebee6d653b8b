package io.logd.bench.ingest;

import io.logd.event.LogEvent;
import io.logd.ingest.AckMode;
import io.logd.ingest.IngestPipeline;
import io.logd.store.EventStore;
import io.logd.store.StoreOptions;
import io.logd.testing.TestEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open-loop ack latency of the durable append path: offers batches on a fixed schedule (so a slow
 * ack cannot slow the offered load and hide itself) and records each batch's time from its
 * scheduled start to its durable ack in HdrHistogram.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.logd.bench.ingest.AckLatency [eventsPerSecond=150000] [batch=100] [seconds=30] [ack=durable]
 * </pre>
 */
public final class AckLatency {
  private AckLatency() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 150_000;
    int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    AckMode ack = args.length > 3 ? AckMode.parse(args[3]) : AckMode.DURABLE;
    Path dir = System.getProperty("dir") != null
        ? Files.createDirectories(Path.of(System.getProperty("dir")))
        : Files.createTempDirectory("logd-ack-latency");
    SplittableRandom rnd = new SplittableRandom(7);
    List<List<LogEvent>> pool = new ArrayList<>();
    long t = 1_795_000_000_000_000_000L;
    for (int b = 0; b < 256; b++) {
      List<LogEvent> batch = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        batch.add(TestEvents.nginx(rnd, t += rnd.nextLong(1_000_000), i));
      }
      pool.add(batch);
    }
    Recorder recorder = new Recorder(3);
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) * batchSize / rate;
    long rejected = 0;
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS);
        IngestPipeline pipeline = IngestPipeline.start(
            store, new IngestPipeline.Options(262_144, 65_536, ack), IngestPipeline.Admission.OPEN, List.of())) {
      long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
      long next = System.nanoTime();
      boolean recording = false;
      long clock = 1_795_000_000_000_000_000L;
      for (int i = 0; ; i++) {
        long now;
        while ((now = System.nanoTime()) < next) {
          LockSupport.parkNanos(Math.min(next - now, 50_000));
        }
        if (now >= end) {
          break;
        }
        if (!recording && now >= warmupEnd) {
          recorder.reset();
          pipeline.takeCommitLatency();
          recording = true;
        }
        long scheduled = next;
        next += intervalNanos;
        List<LogEvent> batch = new ArrayList<>(batchSize);
        for (LogEvent e : pool.get(i & 255)) {
          // A live feed: times advance with the wall clock, so keys arrive mostly in order.
          long ts = clock += 1_000;
          batch.add(new LogEvent(ts, ts, e.host(), e.service(), e.level(), e.facility(), e.message(), e.fields(), e.tags()));
        }
        if (pipeline.offer(1, batch) instanceof IngestPipeline.Accepted a) {
          a.ack().thenRun(() -> recorder.recordValue(System.nanoTime() - scheduled));
        } else {
          rejected++;
        }
      }
      Thread.sleep(1000);
      Histogram h = recorder.getIntervalHistogram();
      IngestPipeline.Stats s = pipeline.stats();
      System.out.printf(
          "offered %d events/s in batches of %d for %d s, ack=%s: batches=%d rejected=%d%n"
              + "ack latency ms: p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f; groups=%d (%.0f events/group)%n",
          rate, batchSize, seconds, ack.configName(), h.getTotalCount(), rejected,
          h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
          h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6,
          s.groups(), (double) s.committedEvents() / Math.max(1, s.groups()));
      Histogram c = pipeline.takeCommitLatency();
      System.out.printf("group commit (write+fsync) ms: p50=%.2f p99=%.2f p99.9=%.2f max=%.2f%n",
          c.getValueAtPercentile(50) / 1e6, c.getValueAtPercentile(99) / 1e6,
          c.getValueAtPercentile(99.9) / 1e6, c.getMaxValue() / 1e6);
      if (Boolean.getBoolean("rocksdb.stats")) {
        System.out.println(store.rocksDbStats());
      }
    } finally {
      if (System.getProperty("dir") != null) {
        return; // kept for inspection
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
