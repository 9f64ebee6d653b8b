package io.logd.bench.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logd.config.ConfigLoader;
import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Times;
import io.logd.ingest.IngestPipeline;
import io.logd.query.Searcher;
import io.logd.query.TimeRange;
import io.logd.rollup.RollupSet;
import io.logd.store.Retention;
import io.logd.testing.TestEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drives a whole engine: durable ingest with indexing of nginx-like events spread over 24 hours,
 * then disk use against the raw JSON size, then query latency (newest-100 term queries, phrase
 * queries, 24 h hits histograms) over what was stored.
 *
 * <pre>
 * java -Xmx8g --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.logd.bench.engine.EngineLoad [events=10000000] [producers=4] [batch=1000] [dir]
 * </pre>
 *
 * An existing {@code dir} from an earlier run skips the ingest phase and only queries. {@code LOGD_*}
 * environment variables configure the engine, as for {@code logd serve}: {@code
 * LOGD_ROLLUPS_ENABLED=false} against {@code true} (the default) gives the rollups' share of ingest.
 */
public final class EngineLoad {
  private static final long DAY = 86_400_000_000_000L;
  private static final long START = 1_795_000_000_000_000_000L;

  private EngineLoad() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int producers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    Path dir = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("logd-engine-load");
    boolean fresh = !Files.exists(dir.resolve("store"));
    // LOGD_* environment variables tune the engine as they do for `logd serve`.
    LogdConfig config = ConfigLoader.load(null, System.getenv(), Map.of("data_dir", dir.toString()));
    System.out.printf("EngineLoad events=%d producers=%d batch=%d dir=%s cores=%d rollups=%s%n",
        events, producers, batch, dir, Runtime.getRuntime().availableProcessors(), config.rollups().enabled());
    try (Logd logd = Logd.builder().config(config).open()) {
      if (fresh) {
        ingest(logd, events, producers, batch);
        diskUse(logd, dir, events);
      }
      queries(logd);
    }
  }

  private static void ingest(Logd logd, long total, int producers, int batch) throws Exception {
    AtomicLong next = new AtomicLong();
    AtomicLong rawJsonBytes = new AtomicLong();
    Histogram ackMicros = new Histogram(3);
    long begin = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      threads.add(Thread.ofPlatform().start(() -> {
        SplittableRandom rnd = new SplittableRandom(producer);
        JsonFactory json = new JsonFactory();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
        long from;
        while ((from = next.getAndAdd(batch)) < total) {
          int n = (int) Math.min(batch, total - from);
          List<LogEvent> events = new ArrayList<>(n);
          long raw = 0;
          for (int i = 0; i < n; i++) {
            long idx = from + i;
            LogEvent e = TestEvents.nginx(rnd, START + idx * (DAY / total), idx);
            events.add(e);
            raw += jsonSize(json, buf, e);
          }
          rawJsonBytes.addAndGet(raw);
          long t0 = System.nanoTime();
          while (true) {
            if (logd.ingest(Logd.DEFAULT_TENANT, events) instanceof IngestPipeline.Accepted a) {
              a.ack().join();
              break;
            }
            LockSupport.parkNanos(1_000_000);
          }
          synchronized (ackMicros) {
            ackMicros.recordValue((System.nanoTime() - t0) / 1000);
          }
        }
      }));
    }
    long lastReport = begin;
    while (threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(200);
      if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
        lastReport = System.nanoTime();
        System.out.printf("  %,d events stored, index lag %,d, rollup lag %,d%n",
            logd.ingestStats().committedEvents(), logd.index().lagEvents(),
            logd.rollups().map(RollupSet::lagEvents).orElse(0L));
      }
    }
    double storedSecs = (System.nanoTime() - begin) / 1e9;
    logd.index().awaitSearchable();
    double searchableSecs = (System.nanoTime() - begin) / 1e9;
    // With rollups on, the run is over only when they have counted everything too.
    if (logd.rollups().isPresent()) {
      logd.rollups().get().awaitCounted();
    }
    double countedSecs = (System.nanoTime() - begin) / 1e9;
    System.out.printf(
        "ingest: %,d events durable in %.1f s = %,.0f events/s; all searchable after %.1f s = %,.0f events/s%n"
            + "ack latency per %d-event batch (ms): p50=%.1f p99=%.1f max=%.1f%n"
            + "raw JSON: %,d bytes (%.0f bytes/event)%n",
        total, storedSecs, total / storedSecs, searchableSecs, total / searchableSecs, batch,
        ackMicros.getValueAtPercentile(50) / 1e3, ackMicros.getValueAtPercentile(99) / 1e3,
        ackMicros.getMaxValue() / 1e3, rawJsonBytes.get(), (double) rawJsonBytes.get() / total);
    if (logd.rollups().isPresent()) {
      System.out.printf("rollups: all counted after %.1f s = %,.0f events/s%n", countedSecs, total / countedSecs);
    }
    RAW_JSON.set(rawJsonBytes.get());
  }

  private static final AtomicLong RAW_JSON = new AtomicLong();

  private static long jsonSize(JsonFactory json, ByteArrayOutputStream buf, LogEvent e) {
    buf.reset();
    try (JsonGenerator g = json.createGenerator(buf)) {
      g.writeStartObject();
      g.writeStringField("timestamp", Times.format(e.timestampNanos()));
      g.writeStringField("host", e.host());
      g.writeStringField("service", e.service());
      g.writeStringField("level", e.level().canonicalName());
      g.writeStringField("message", e.message());
      for (Map.Entry<String, FieldValue> f : e.fields().entrySet()) {
        switch (f.getValue()) {
          case FieldValue.LongValue l -> g.writeNumberField(f.getKey(), l.value());
          case FieldValue.DoubleValue d -> g.writeNumberField(f.getKey(), d.value());
          default -> g.writeStringField(f.getKey(), f.getValue().asText());
        }
      }
      g.writeEndObject();
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    return buf.size() + 1; // the newline of NDJSON
  }

  private static void diskUse(Logd logd, Path dir, long events) throws IOException {
    logd.index().commitNow();
    logd.store().flush();
    long store = Retention.directorySize(dir.resolve("store"));
    long index = Retention.directorySize(dir.resolve("index"));
    long raw = RAW_JSON.get();
    System.out.printf(
        "disk (before background compaction settles): store %,d B (%.1f B/event), index %,d B (%.1f B/event),"
            + " total %.2fx raw JSON%n",
        store, (double) store / events, index, (double) index / events, (double) (store + index) / raw);
  }

  private static void queries(Logd logd) throws Exception {
    Searcher s = logd.searcher();
    TimeRange day = new TimeRange(START, START + DAY);
    String[] terms = {"path:/login", "status:404", "client_ip:10.1.0.0/16", "user_agent:curl*", "favicon.ico", "status:503"};
    String[] phrases = {"\"GET /api/v1/users HTTP/1.1\"", "\"HTTP/1.1 500\"", "\"GET /healthz\""};
    run("newest-100 term query", 300, i -> s.search(
        new Searcher.Request(Logd.DEFAULT_TENANT, terms[i % terms.length], TimeRange.ALL, 100, null, true)).events().size());
    run("newest-100 phrase query", 300, i -> s.search(
        new Searcher.Request(Logd.DEFAULT_TENANT, phrases[i % phrases.length], TimeRange.ALL, 100, null, true)).events().size());
    // With rollups on, a histogram of every event is read from them instead of the index.
    System.out.printf("24h hits histograms come from: all events %s, status:[500 TO 599] %s%n",
        s.hits(Logd.DEFAULT_TENANT, "", day, 60_000_000_000L).source(),
        s.hits(Logd.DEFAULT_TENANT, "status:[500 TO 599]", day, 60_000_000_000L).source());
    run("24h hits histogram, step 1m, all events", 20, i -> s.hits(Logd.DEFAULT_TENANT, "", day, 60_000_000_000L).total());
    run("24h hits histogram, step 1m, status:[500 TO 599]", 20,
        i -> s.hits(Logd.DEFAULT_TENANT, "status:[500 TO 599]", day, 60_000_000_000L).total());
  }

  @FunctionalInterface
  private interface Query {
    long run(int i) throws Exception;
  }

  private static void run(String name, int iterations, Query q) throws Exception {
    for (int i = 0; i < Math.min(20, iterations); i++) {
      q.run(i); // warm-up
    }
    Histogram h = new Histogram(3);
    long results = 0;
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      results += q.run(i);
      h.recordValue((System.nanoTime() - t0) / 1000);
    }
    System.out.printf("%-48s n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms (mean results %d)%n",
        name, iterations, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
        h.getMaxValue() / 1e3, results / iterations);
  }
}
