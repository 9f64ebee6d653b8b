package io.logd.bench.index;

import io.logd.bench.data.Dataset;
import io.logd.engine.Logd;
import io.logd.event.EventId;
import io.logd.event.LogEvent;
import io.logd.index.DocumentMapper;
import io.logd.index.FieldSchema;
import io.logd.index.IndexSet;
import io.logd.store.CommitGroup;
import io.logd.store.EventCodec;
import io.logd.store.EventStore;
import io.logd.store.Retention;
import io.logd.store.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
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
 * The index side of ingest, without the store's write path or HTTP. Scores are events per second
 * (one operation is one event) from a pool of 65,536 generated events of {@code dataset}.
 *
 * <ul>
 *   <li>{@code map}: {@link DocumentMapper#map} of a decoded event alone on one thread, into one
 *       day's {@link FieldSchema}: the per-event work before Lucene sees the document. {@code -prof
 *       gc} gives bytes per event (the mapper reuses its document and fields).
 *   <li>{@code mapStoredValue}: what the indexer does instead, the stored value read in place
 *       ({@link EventCodec#read}) and mapped from its bytes; {@code decodeThenMap}: what it did
 *       before, decoding the value first.
 *   <li>{@code indexGroups}: the whole indexer: 10 groups of 1,000 events are handed to {@link
 *       IndexSet#onCommit} as the pipeline's writer hands them, and the invocation waits until the
 *       indexer has added them all; the indexer's own threads (one per core less one), its 500 ms
 *       NRT refreshes, 10 s commits and Lucene's merges all run as in production. Event time
 *       advances like a live feed of 50,000 events/s, so everything lands in one day index, which
 *       grows through the run. {@code -prof gc} counts every thread's allocation, merges included.
 * </ul>
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar IndexBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--enable-native-access=ALL-UNNAMED"})
public class IndexBenchmark {
  static final int POOL = 1 << 16;
  static final int GROUP = 1000;
  static final int GROUPS_PER_INVOCATION = 10;
  static final long START = 1_795_000_000_000_000_000L;

  /** Events built once and their encoded values, as the pipeline hands them to listeners. */
  @State(Scope.Benchmark)
  public static class Pool {
    @Param({"mixed"})
    public String dataset;

    @Param("1")
    public long seed;

    final LogEvent[] events = new LogEvent[POOL];
    final byte[][] values = new byte[POOL][];

    @Setup(Level.Trial)
    public void build() {
      Dataset data = Dataset.of(dataset, seed);
      for (int i = 0; i < POOL; i++) {
        events[i] = data.next(START + i * 20_000L);
        values[i] = EventCodec.local().encode(events[i]);
      }
      System.out.printf("%n%s: %,d events in the pool%n", data, POOL);
    }
  }

  /** One mapper and one day's schema, as each indexing thread has. */
  @State(Scope.Thread)
  public static class Mapping {
    final DocumentMapper mapper = new DocumentMapper();
    final FieldSchema schema = new FieldSchema(FieldSchema.Limits.DEFAULTS);
    int next;
    long seq;
  }

  @Benchmark
  public Document map(Pool pool, Mapping m) {
    int i = m.next++ & (POOL - 1);
    LogEvent e = pool.events[i];
    return m.mapper.map(Logd.DEFAULT_TENANT, new EventId(e.timestampNanos(), ++m.seq), e, m.schema);
  }

  /** What the indexer does per event: the stored value read in place and mapped from its bytes. */
  @Benchmark
  public Document mapStoredValue(Pool pool, Mapping m) {
    int i = m.next++ & (POOL - 1);
    EventId id = new EventId(pool.events[i].timestampNanos(), ++m.seq);
    return m.mapper.map(Logd.DEFAULT_TENANT, id, EventCodec.local().read(pool.values[i]), m.schema,
        DocumentMapper.Layout.INSERTION_ORDER);
  }

  /** What the indexer did per event before it mapped stored values in place: decode, then map. */
  @Benchmark
  public Document decodeThenMap(Pool pool, Mapping m) {
    int i = m.next++ & (POOL - 1);
    long time = pool.events[i].timestampNanos();
    LogEvent e = EventCodec.local().decode(time, pool.values[i]);
    return m.mapper.map(Logd.DEFAULT_TENANT, new EventId(time, ++m.seq), e, m.schema);
  }

  /** A store (only for the index's replay and checkpoint) and an index set in a temp directory. */
  @State(Scope.Benchmark)
  public static class Indexer {
    Path dir;
    EventStore store;
    IndexSet index;
    long clock = START;
    int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = Files.createTempDirectory("logd-index-bench");
      store = EventStore.open(dir.resolve("store"), StoreOptions.DEFAULTS);
      index = IndexSet.open(dir.resolve("index"), store, IndexSet.Options.DEFAULTS);
    }

    CommitGroup nextGroup(Pool pool) {
      CommitGroup g = new CommitGroup(GROUP);
      for (int i = 0; i < GROUP; i++) {
        int k = next++ & (POOL - 1);
        g.add(Logd.DEFAULT_TENANT, clock += 20_000, pool.values[k], pool.events[k]);
      }
      return g;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      index.commitNow();
      System.out.printf("%nindexed %,d events; index %,d bytes (%.1f bytes/event)%n", index.indexedEvents(),
          Retention.directorySize(dir.resolve("index")),
          (double) Retention.directorySize(dir.resolve("index")) / Math.max(1, index.indexedEvents()));
      index.close();
      store.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(GROUPS_PER_INVOCATION * GROUP)
  public long indexGroups(Pool pool, Indexer ix) {
    for (int i = 0; i < GROUPS_PER_INVOCATION; i++) {
      ix.index.onCommit(ix.nextGroup(pool));
    }
    while (ix.index.lagEvents() > 0) {
      LockSupport.parkNanos(20_000);
    }
    return ix.index.indexedEvents();
  }
}
