package io.logd.bench.parse;

import io.logd.bench.data.Dataset;
import io.logd.bench.data.Ndjson;
import io.logd.event.LogEvent;
import io.logd.parse.json.JsonBatchReader;
import io.logd.store.EventCodec;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What an HTTP parse thread does with one NDJSON body of 1,000 nginx access events (LoadGen's
 * {@code access} dataset, no timestamps): read it into events, and encode each event for the store.
 * Microseconds per batch; divide by 1,000 for a figure per event.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar NdjsonBatchBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class NdjsonBatchBenchmark {
  private static final int EVENTS = 1_000;

  private final JsonBatchReader reader = new JsonBatchReader();
  private final Instant received = Instant.parse("2026-12-06T10:00:00Z");
  private byte[] body;
  private List<LogEvent> events;

  @Setup
  public void setUp() {
    Dataset data = Dataset.of("access", 1);
    Ndjson ndjson = new Ndjson();
    long t = received.getEpochSecond() * 1_000_000_000L;
    for (int i = 0; i < EVENTS; i++) {
      ndjson.add(data.next(t + i * 1_000L), false);
    }
    body = ndjson.toByteArray();
    events = reader.read(body, JsonBatchReader.Shape.ARRAY_OR_NDJSON, received).events();
    if (events.size() != EVENTS) {
      throw new IllegalStateException("read " + events.size() + " of " + EVENTS + " events");
    }
  }

  @Benchmark
  public JsonBatchReader.Batch read() {
    return reader.read(body, JsonBatchReader.Shape.ARRAY_OR_NDJSON, received);
  }

  @Benchmark
  public void encode(Blackhole bh) {
    EventCodec codec = EventCodec.local();
    for (int i = 0; i < events.size(); i++) {
      bh.consume(codec.encode(events.get(i)));
    }
  }
}
