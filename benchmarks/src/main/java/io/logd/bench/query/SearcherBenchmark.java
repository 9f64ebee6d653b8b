package io.logd.bench.query;

import io.logd.bench.data.Dataset;
import io.logd.config.ConfigLoader;
import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.event.LogEvent;
import io.logd.ingest.IngestPipeline;
import io.logd.query.QuerySyntaxException;
import io.logd.query.Searcher;
import io.logd.query.TimeRange;
import io.logd.store.Retention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Searcher} in process (no HTTP) over an engine holding {@code events} events of the {@code
 * mixed} dataset spread evenly over 24 hours (two UTC day indexes), built in the trial setup
 * through {@link Logd#ingest} with durable acks and waited for until searchable and counted. Each
 * benchmark is one call as the HTTP handlers make it, timed as an average in milliseconds:
 *
 * <ul>
 *   <li>{@code newest100*}: the newest 100 matches of a word ({@code timeout}, about 0.7 % of
 *       events), a phrase ({@code "connection refused"}, 0.65 %), two field terms, a CIDR, events fetched
 *       from the store;
 *   <li>{@code countTerm}: the number of matches of the word over the whole range;
 *   <li>{@code hits*}: the per-minute histogram over 24 h, of every event (from the rollups) and of
 *       {@code status:[500 TO 599]} (from the index's doc values);
 *   <li>{@code facetsServiceOfErrors}: the top 10 services among {@code level:error} events.
 * </ul>
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar SearcherBenchmark \
 *     -p events=1000000 -p dir=/tmp/searcher-1m
 * </pre>
 *
 * With {@code -p dir=...} the engine is built once into that directory and reused by later runs
 * with the same {@code events}, {@code dataset} and {@code seed} (delete it when the storage format
 * changes); without it each fork builds its own in a temp directory. Retention is off, so the
 * fixed event times never age out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
public class SearcherBenchmark {
  static final long DAY = 86_400_000_000_000L;
  /** 2026-11-18T19:33:20Z: the span crosses one UTC midnight. */
  static final long START = 1_795_000_000_000_000_000L;
  static final int TENANT = Logd.DEFAULT_TENANT;
  static final long MINUTE = 60_000_000_000L;

  @Param("1000000")
  public long events;

  @Param("mixed")
  public String dataset;

  @Param("1")
  public long seed;

  /** A directory to build the engine into once and reuse; empty for a temp directory per fork. */
  @Param("")
  public String dir;

  private Path path;
  private boolean keep;
  private Logd logd;
  private Searcher searcher;
  private final TimeRange day = new TimeRange(START, START + DAY);

  @Setup(Level.Trial)
  public void open() throws Exception {
    keep = !dir.isEmpty();
    path = keep ? Path.of(dir) : Files.createTempDirectory("logd-searcher-bench");
    Path marker = path.resolve("bench-data.txt");
    String want = events + " " + dataset + " " + seed;
    if (Files.exists(marker) && !Files.readString(marker).equals(want)) {
      throw new IllegalStateException(path + " holds '" + Files.readString(marker) + "', not '" + want + "': delete it");
    }
    boolean fresh = !Files.exists(marker);
    LogdConfig config = ConfigLoader.load(null, Map.of(),
        Map.of("data_dir", path.toString(), "storage.retention.max_age", "0", "storage.min_free_disk", "0"));
    logd = Logd.builder().config(config).open();
    searcher = logd.searcher();
    if (fresh) {
      build();
      Files.writeString(marker, want);
    }
  }

  private void build() throws Exception {
    Dataset data = Dataset.of(dataset, seed);
    long begin = System.nanoTime();
    List<CompletableFuture<?>> acks = new ArrayList<>();
    long step = DAY / events;
    for (long from = 0; from < events; from += 1000) {
      int n = (int) Math.min(1000, events - from);
      List<LogEvent> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(data.next(START + (from + i) * step));
      }
      while (true) {
        if (logd.ingest(TENANT, batch) instanceof IngestPipeline.Accepted a) {
          acks.add(a.ack());
          break;
        }
        LockSupport.parkNanos(1_000_000); // backpressure: the index lag is at its cap
      }
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    logd.index().awaitSearchable();
    logd.rollups().orElseThrow().awaitCounted();
    logd.rollups().get().flushNow();
    logd.index().commitNow();
    logd.store().flush();
    System.out.printf("%nbuilt %,d events of %s in %.1f s; store %,d bytes, index %,d bytes%n", events, data,
        (System.nanoTime() - begin) / 1e9, Retention.directorySize(path.resolve("store")),
        Retention.directorySize(path.resolve("index")));
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    logd.close();
    if (!keep) {
      try (Stream<Path> files = Files.walk(path)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private int newest100(String q) throws QuerySyntaxException, IOException {
    return searcher.search(new Searcher.Request(TENANT, q, day, 100, null, true)).events().size();
  }

  @Benchmark
  public int newest100Word() throws Exception {
    return newest100("timeout");
  }

  @Benchmark
  public int newest100Phrase() throws Exception {
    return newest100("\"connection refused\"");
  }

  @Benchmark
  public int newest100FieldTerms() throws Exception {
    return newest100("service:checkout AND status:503");
  }

  @Benchmark
  public int newest100Cidr() throws Exception {
    return newest100("client_ip:10.0.0.0/8");
  }

  @Benchmark
  public long countTerm() throws Exception {
    return searcher.count(TENANT, "timeout", day);
  }

  @Benchmark
  public long hitsPerMinuteAll() throws Exception {
    return searcher.hits(TENANT, "", day, MINUTE).total();
  }

  @Benchmark
  public long hitsPerMinute5xx() throws Exception {
    return searcher.hits(TENANT, "status:[500 TO 599]", day, MINUTE).total();
  }

  @Benchmark
  public int facetsServiceOfErrors() throws Exception {
    return searcher.facets(TENANT, "level:error", day, List.of("service"), 10).get("service").size();
  }
}
