package io.logd.bench.server;

import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.testing.TestEvents;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * HTTP load against a running logd: {@code connections} clients post NDJSON batches of
 * {@code batch} nginx-like events to {@code /api/v1/logs/bulk} (durable acks, indexing on) as fast
 * as acks come back, while one more client searches at {@code qps} queries per second on a fixed
 * schedule. Prints events/s, ack latency and search latency.
 *
 * <pre>
 * LOGD_ADMIN_KEY=bench-key-0123456789 java -jar logd-cli/target/logd.jar serve --data /tmp/bench --http-port 18080 &amp;
 * java -cp benchmarks/target/benchmarks.jar io.logd.bench.server.HttpLoad \
 *     http://127.0.0.1:18080 bench-key-0123456789 [connections=8] [batch=1000] [seconds=60] [qps=50]
 * </pre>
 */
public final class HttpLoad {
  private HttpLoad() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String key = args[1];
    int connections = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
    int qps = args.length > 5 ? Integer.parseInt(args[5]) : 50;

    List<byte[]> bodies = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(11);
    long bytes = 0;
    for (int b = 0; b < 32; b++) {
      StringBuilder sb = new StringBuilder(batch * 360);
      for (int i = 0; i < batch; i++) {
        LogEvent e = TestEvents.nginx(rnd, 0, i);
        // No timestamp: the server stamps the receive time, like a live feed.
        sb.append("{\"host\":\"").append(e.host()).append("\",\"service\":\"nginx\",\"level\":\"")
            .append(e.level().canonicalName()).append("\",\"message\":\"").append(e.message().replace("\"", "\\\""))
            .append('"');
        for (Map.Entry<String, FieldValue> f : e.fields().entrySet()) {
          sb.append(",\"").append(f.getKey()).append("\":");
          if (f.getValue() instanceof FieldValue.StringValue s) {
            sb.append('"').append(s.value()).append('"');
          } else {
            sb.append(f.getValue().asText());
          }
        }
        sb.append("}\n");
      }
      byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
      bytes += body.length;
      bodies.add(body);
    }
    System.out.printf("HttpLoad %s connections=%d batch=%d seconds=%d qps=%d (%.0f bytes/event)%n",
        url, connections, batch, seconds, qps, (double) bytes / (32.0 * batch));

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    AtomicLong events = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    Recorder acks = new Recorder(3);
    Recorder queries = new Recorder(3);
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int client = c;
      threads.add(Thread.ofPlatform().start(() -> {
        int n = client;
        while (System.nanoTime() < end) {
          HttpRequest r = HttpRequest.newBuilder(URI.create(url + "/api/v1/logs/bulk"))
              .header("X-API-Key", key).header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(n++ & 31))).build();
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 200) {
              if (t0 > warmupEnd) {
                events.addAndGet(batch);
                acks.recordValue(System.nanoTime() - t0);
              }
            } else if (resp.statusCode() == 503 || resp.statusCode() == 429) {
              LockSupport.parkNanos(50_000_000); // honour the backpressure
            } else {
              failures.incrementAndGet();
            }
          } catch (Exception e) {
            failures.incrementAndGet();
          }
        }
      }));
    }
    String[] qs = {"status:404", "path:/login", "\"GET /api/v1/users\"", "client_ip:10.1.0.0/16", "level:error"};
    Thread searcher = Thread.ofPlatform().start(() -> {
      long interval = TimeUnit.SECONDS.toNanos(1) / qps;
      long next = System.nanoTime();
      for (int i = 0; System.nanoTime() < end; i++) {
        long now;
        while ((now = System.nanoTime()) < next) {
          LockSupport.parkNanos(next - now);
        }
        long scheduled = next;
        next += interval;
        HttpRequest r = HttpRequest.newBuilder(URI.create(url + "/api/v1/logs?limit=100&from=-15m&q="
            + URLEncoder.encode(qs[i % qs.length], StandardCharsets.UTF_8))).header("X-API-Key", key).build();
        try {
          http.send(r, HttpResponse.BodyHandlers.discarding());
          if (scheduled > warmupEnd) {
            queries.recordValue(System.nanoTime() - scheduled);
          }
        } catch (Exception e) {
          failures.incrementAndGet();
        }
      }
    });
    for (Thread t : threads) {
      t.join();
    }
    searcher.join();
    Histogram a = acks.getIntervalHistogram();
    Histogram q = queries.getIntervalHistogram();
    System.out.printf("ingest: %,.0f events/s over %d s (%d failures)%n", events.get() / (double) seconds, seconds,
        failures.get());
    System.out.printf("ack per %d-event batch ms: p50=%.1f p99=%.1f p999=%.1f max=%.1f%n", batch,
        a.getValueAtPercentile(50) / 1e6, a.getValueAtPercentile(99) / 1e6, a.getValueAtPercentile(99.9) / 1e6,
        a.getMaxValue() / 1e6);
    System.out.printf("search at %d q/s ms: p50=%.1f p99=%.1f max=%.1f (n=%d)%n", qps,
        q.getValueAtPercentile(50) / 1e6, q.getValueAtPercentile(99) / 1e6, q.getMaxValue() / 1e6, q.getTotalCount());
  }
}
