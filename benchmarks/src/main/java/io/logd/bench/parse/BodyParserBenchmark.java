package io.logd.bench.parse;

import io.logd.event.LogEvent;
import io.logd.parse.logfmt.LogfmtParser;
import io.logd.parse.nginx.NginxParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lines per second one thread parses into a fresh event: a realistic nginx {@code combined} line
 * (about 250 characters, Chrome user agent, query string) and a Go slog TextHandler line. Each
 * operation is one {@code LogEvent.builder()}, one parse and one {@code build()}, as the syslog
 * reader does per line.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BodyParserBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class BodyParserBenchmark {
  static final String NGINX = "203.0.113.42 - - [23/Nov/2026:10:00:00 +0000] "
      + "\"GET /api/v1/search?q=boots&page=2 HTTP/1.1\" 200 5124 \"https://shop.example.com/catalog\" "
      + "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36\"";

  static final String SLOG = "time=2023-01-01T10:00:00.000Z level=INFO msg=\"hello world\" count=3 "
      + "user=alice latency_ms=12.5 path=/api/v1/users";

  private final NginxParser nginx = new NginxParser();
  private final LogfmtParser logfmt = new LogfmtParser();

  @Benchmark
  public LogEvent nginxCombined() {
    LogEvent.Builder b = LogEvent.builder().message(NGINX);
    if (nginx.parse(NGINX, b) != null) {
      throw new IllegalStateException("refused");
    }
    return b.build();
  }

  @Benchmark
  public LogEvent logfmtSlog() {
    LogEvent.Builder b = LogEvent.builder().message(SLOG);
    if (logfmt.parse(SLOG, b) != null) {
      throw new IllegalStateException("refused");
    }
    return b.build();
  }
}
