package io.logd.bench.ingest;

import io.logd.event.LogEvent;
import io.logd.ingest.AckMode;
import io.logd.ingest.IngestPipeline;
import io.logd.store.EventCodec;
import io.logd.store.EventStore;
import io.logd.store.StoreOptions;
import io.logd.testing.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the durable append path without indexing: producer threads offer batches of
 * nginx-like events (about 250 bytes each, encoded) and wait for the durable ack, as HTTP handlers
 * do. Event times advance like a live feed (each batch is re-stamped from a shared clock), so keys
 * arrive mostly in order, as they do from real senders. Scores are events per second (one
 * operation is one event).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar AppendBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
@Threads(4)
public class AppendBenchmark {
  static final int BATCH = 1000;
  static final int POOL = 64;

  @Param({"durable", "fast"})
  public String ack;

  private Path dir;
  private EventStore store;
  private IngestPipeline pipeline;
  private final List<List<LogEvent>> batches = new ArrayList<>();

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("logd-append-bench");
    store = EventStore.open(dir, StoreOptions.DEFAULTS);
    pipeline = IngestPipeline.start(
        store, new IngestPipeline.Options(262_144, 65_536, AckMode.parse(ack)), IngestPipeline.Admission.OPEN, List.of());
    SplittableRandom rnd = new SplittableRandom(42);
    long t = 1_795_000_000_000_000_000L;
    long bytes = 0;
    for (int b = 0; b < POOL; b++) {
      List<LogEvent> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        LogEvent e = TestEvents.nginx(rnd, t += rnd.nextLong(1_000_000), i);
        bytes += EventCodec.local().encode(e).length;
        batch.add(e);
      }
      batches.add(batch);
    }
    System.out.printf("%nmean encoded event: %d bytes%n", bytes / (POOL * BATCH));
  }

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  /** The live feed's clock: each event is 2 µs after the previous one. */
  private final AtomicLong clock = new AtomicLong(1_795_000_000_000_000_000L);

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public IngestPipeline.Ack appendBatch(Cursor cursor) throws Exception {
    List<LogEvent> template = batches.get(cursor.next++ & (POOL - 1));
    long t = clock.getAndAdd(2_000L * BATCH);
    List<LogEvent> batch = new ArrayList<>(BATCH);
    for (LogEvent e : template) {
      t += 2_000;
      batch.add(new LogEvent(t, t, e.host(), e.service(), e.level(), e.facility(), e.message(), e.fields(), e.tags()));
    }
    while (true) {
      if (pipeline.offer(1, batch) instanceof IngestPipeline.Accepted a) {
        return a.ack().get();
      }
      Thread.onSpinWait();
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    IngestPipeline.Stats s = pipeline.stats();
    pipeline.close();
    System.out.printf("%n%ngroups=%d syncs=%d events=%d (%.0f events/group)%n",
        s.groups(), s.syncs(), s.committedEvents(), (double) s.committedEvents() / Math.max(1, s.groups()));
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
