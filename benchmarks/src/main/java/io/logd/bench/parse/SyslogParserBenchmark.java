package io.logd.bench.parse;

import io.logd.parse.syslog.SyslogParser;
import java.time.Clock;
import java.time.ZoneId;
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
 * Syslog header parsing, one line per operation, on one thread: an RFC 5424 line with two
 * structured-data elements (logger --rfc5424 --sd-param style) and an RFC 3164 nginx access line
 * (BSD time read in a zone with DST, year inferred from the clock). Only the header is parsed; the
 * event is not built. Scores are lines per second.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SyslogParserBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SyslogParserBenchmark {
  static final String RFC5424 = "<165>1 2026-11-23T10:00:00.123456+01:00 web-1.example.com api 4711 REQ "
      + "[timeQuality tzKnown=\"1\" isSynced=\"1\"][req@32473 id=\"7f3a9c\" user=\"alice\" route=\"/v1/orders\"] "
      + "order 8812 created in 12 ms";
  static final String RFC3164_NGINX = "<190>Nov 23 10:00:00 web-1 nginx: 10.1.2.3 - - [23/Nov/2026:10:00:00 +0100] "
      + "\"GET /api/v1/orders?page=2 HTTP/1.1\" 200 5123 \"https://example.com/\" \"Mozilla/5.0 (X11; Linux x86_64)\"";
  static final long RECEIVED = 1_795_428_000_000_000_000L;

  private final SyslogParser parser = new SyslogParser(ZoneId.of("Europe/Berlin"), Clock.systemUTC());
  // Read from non-final fields so that the JIT cannot fold the constant text into the parser.
  private String rfc5424 = RFC5424;
  private String rfc3164 = RFC3164_NGINX;

  @Benchmark
  public SyslogParser.Result rfc5424WithSd() {
    return parser.parse(rfc5424, RECEIVED);
  }

  @Benchmark
  public SyslogParser.Result rfc3164Nginx() {
    return parser.parse(rfc3164, RECEIVED);
  }
}
