package io.logd.bench.query;

import io.logd.bench.data.Dataset;
import io.logd.engine.Logd;
import io.logd.event.EventId;
import io.logd.event.LogEvent;
import io.logd.index.DocumentMapper;
import io.logd.index.FieldSchema;
import io.logd.query.LogQueryParser;
import io.logd.query.QuerySyntaxException;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.Query;
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
 * {@link LogQueryParser#parse} on one thread, against the field schema of a day that holds the
 * {@code mixed} dataset's fields (so {@code status} is a LONG, {@code client_ip} an IP, and so on):
 * what every search pays once per day index it opens. Scores are parses per second; {@code -prof
 * gc} gives bytes per parse.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar QueryParserBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class QueryParserBenchmark {
  @Param({
    "timeout",
    "\"connection refused\"",
    "service:checkout AND status:[500 TO 599]",
    "client_ip:10.0.0.0/8 AND NOT path:/healthz",
    "level:error AND (upstream:redis-cache OR exception:java.net.ConnectException) AND time*"
  })
  public String q;

  private final LogQueryParser parser = new LogQueryParser();
  private FieldSchema schema;

  @Setup
  public void setUp() {
    schema = new FieldSchema(FieldSchema.Limits.DEFAULTS);
    DocumentMapper mapper = new DocumentMapper();
    Dataset data = Dataset.of("mixed", 1);
    for (int i = 0; i < 20_000; i++) {
      LogEvent e = data.next(1_795_000_000_000_000_000L + i * 1000L);
      mapper.map(Logd.DEFAULT_TENANT, new EventId(e.timestampNanos(), i), e, schema);
    }
  }

  @Benchmark
  public Query parse() throws QuerySyntaxException {
    return parser.parse(q, schema);
  }
}
