package io.logd.bench.store;

import io.logd.bench.data.Dataset;
import io.logd.event.LogEvent;
import io.logd.store.EventCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link EventCodec} on one thread: {@code encode} is what the ingest pipeline does once per event
 * before the WriteBatch, {@code decode} what every search result and listener without the decoded
 * event pays. One operation is one event, cycling through a pool of 4,096 generated events of the
 * {@code dataset} kind ({@code access}: nginx lines with 9 fields; {@code app}: structured app
 * logs, a few with stack traces; {@code proxy}; {@code system}). Scores are events per second;
 * run with {@code -prof gc} for bytes per event.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EventCodecBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class EventCodecBenchmark {
  static final int POOL = 4096;

  @Param({"access", "app"})
  public String dataset;

  @Param("1")
  public long seed;

  private final LogEvent[] events = new LogEvent[POOL];
  private final byte[][] values = new byte[POOL][];
  private final EventCodec codec = EventCodec.local();
  private int next;

  @Setup
  public void setUp() {
    Dataset data = Dataset.of(dataset, seed);
    long t = 1_795_000_000_000_000_000L;
    long bytes = 0;
    for (int i = 0; i < POOL; i++) {
      events[i] = data.next(t += 1_000_000);
      values[i] = codec.encode(events[i]);
      bytes += values[i].length;
    }
    System.out.printf("%n%s: mean encoded event %d bytes%n", data, bytes / POOL);
  }

  @Benchmark
  public byte[] encode() {
    return codec.encode(events[next++ & (POOL - 1)]);
  }

  @Benchmark
  public LogEvent decode() {
    int i = next++ & (POOL - 1);
    return codec.decode(events[i].timestampNanos(), values[i]);
  }
}
