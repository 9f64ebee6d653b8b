package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics endpoints over a real engine and server on port 0, checked against exact counts. */
class MetricsIT {
  static final String ADMIN = "test-admin-key-0123456789";
  static final String RANGE = "&from=2026-11-23T10:00:00Z&to=2026-11-23T13:00:00Z";
  static final String[] SERVICES = {"api", "web", "auth"};

  @TempDir Path dir;
  TestServer running;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final List<Long> latencies = new ArrayList<>();
  final Map<String, Long> byStatusClass = new HashMap<>();
  long bytes;
  long errors;

  @BeforeEach
  void start() throws Exception {
    running = TestServer.start(dir, ADMIN);
    StringBuilder ndjson = new StringBuilder();
    // 300 requests over two hours: status 500 every 7th, 404 every 11th; latency i ms.
    for (int i = 0; i < 300; i++) {
      int status = i % 7 == 0 ? 500 : i % 11 == 0 ? 404 : 200;
      String service = SERVICES[i % 3];
      ndjson.append(String.format(
          "{\"timestamp\":\"2026-11-23T%02d:%02d:%02dZ\",\"host\":\"web-%d\",\"service\":\"%s\",\"level\":\"%s\","
              + "\"message\":\"GET /p/%d\",\"status\":%d,\"bytes\":%d,\"latency_ms\":%d,\"client_ip\":\"10.0.0.%d\","
              + "\"path\":\"/p/%d\",\"dest_port\":%d}\n",
          10 + i / 150, (i / 3) % 60, i % 60, i % 4, service, status >= 500 ? "error" : "info", i % 5, status,
          100 + i, i, i % 5, i % 5, i % 2 == 0 ? 443 : 80));
      latencies.add(i * 1000L);
      byStatusClass.merge(status / 100 + "xx", 1L, Long::sum);
      bytes += 100 + i;
      errors += status >= 500 ? 1 : 0;
    }
    HttpResponse<String> r = send("POST", "/api/v1/logs/bulk", ADMIN, ndjson.toString());
    assertEquals(200, r.statusCode(), r.body());
    running.logd.rollups().orElseThrow().awaitCounted();
    running.logd.index().awaitSearchable();
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
  }

  HttpResponse<String> send(String method, String pathAndQuery, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(running.url(pathAndQuery)))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode get(String pathAndQuery) throws Exception {
    return get(pathAndQuery, ADMIN);
  }

  JsonNode get(String pathAndQuery, String key) throws Exception {
    HttpResponse<String> r = send("GET", pathAndQuery, key, null);
    assertEquals(200, r.statusCode(), pathAndQuery + ": " + r.body());
    return HttpResponses.JSON.readTree(r.body());
  }

  void assertError(int status, String code, String pathAndQuery) throws Exception {
    HttpResponse<String> r = send("GET", pathAndQuery, ADMIN, null);
    assertEquals(status, r.statusCode(), pathAndQuery + ": " + r.body());
    assertEquals(code, HttpResponses.JSON.readTree(r.body()).path("error").path("code").asText(), r.body());
  }

  /** The exact percentile, as HdrHistogram defines it, in ms. */
  double exactPercentile(List<Long> micros, double p) {
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    return sorted[(int) Math.max(0, Math.ceil(p / 100 * sorted.length) - 1)] / 1000.0;
  }

  static void assertNear(double expected, double actual, String what) {
    assertTrue(Math.abs(expected - actual) <= expected / 100 + 0.001, what + ": expected ~" + expected + ", got " + actual);
  }

  @Test
  void overviewCountsEverythingInTheRange() throws Exception {
    JsonNode o = get("/api/v1/metrics/overview?x=1" + RANGE);
    assertEquals("2026-11-23T10:00:00Z", o.path("from").asText());
    assertEquals("2026-11-23T13:00:00Z", o.path("to").asText());
    assertEquals(300, o.path("total").asLong());
    assertEquals(errors, o.path("errors").asLong());
    assertEquals((double) errors / 300, o.path("error_rate").asDouble(), 1e-9);
    assertEquals(bytes, o.path("bytes").asLong());
    assertEquals(300.0 / 180, o.path("events_per_minute").asDouble(), 1e-9);
    for (String p : List.of("p50", "p95", "p99")) {
      assertNear(exactPercentile(latencies, Double.parseDouble(p.substring(1))), o.path("latency_ms").path(p).asDouble(), p);
    }
    assertEquals(errors, o.path("by_level").path("error").asLong());
    assertEquals(300 - errors, o.path("by_level").path("info").asLong());

    JsonNode empty = get("/api/v1/metrics/overview?from=2026-11-20T00:00:00Z&to=2026-11-20T01:00:00Z");
    assertEquals(0, empty.path("total").asLong());
    assertEquals(0.0, empty.path("error_rate").asDouble());
    assertTrue(empty.path("latency_ms").path("p50").isNull());
  }

  @Test
  void timeseriesBucketsByStepAndDimension() throws Exception {
    JsonNode total = get("/api/v1/metrics/timeseries?step=1h" + RANGE);
    assertEquals("1h", total.path("step").asText());
    assertEquals(1, total.path("series").size());
    JsonNode points = total.path("series").get(0).path("points");
    assertEquals("total", total.path("series").get(0).path("key").asText());
    assertEquals(3, points.size());
    assertEquals("2026-11-23T10:00:00Z", points.get(0).get(0).asText());
    assertEquals(150, points.get(0).get(1).asLong());
    assertEquals(150, points.get(1).get(1).asLong());
    assertEquals(0, points.get(2).get(1).asLong());

    JsonNode perMinute = get("/api/v1/metrics/timeseries?step=1m&by=level" + RANGE);
    assertEquals(180, perMinute.path("series").get(0).path("points").size());
    long sum = 0;
    for (JsonNode s : perMinute.path("series")) {
      for (JsonNode p : s.path("points")) {
        sum += p.get(1).asLong();
      }
    }
    assertEquals(300, sum);

    JsonNode status = get("/api/v1/metrics/timeseries?step=1d&by=status" + RANGE);
    Map<String, Long> classes = new HashMap<>();
    for (JsonNode s : status.path("series")) {
      assertEquals(1, s.path("points").size());
      classes.put(s.path("key").asText(), s.path("points").get(0).get(1).asLong());
    }
    assertEquals(byStatusClass, classes);

    JsonNode hosts = get("/api/v1/metrics/timeseries?step=5m&by=host&limit=2" + RANGE);
    assertEquals(3, hosts.path("series").size(), "two hosts and (other)");
    assertEquals("(other)", hosts.path("series").get(2).path("key").asText());
    assertEquals(36, hosts.path("series").get(0).path("points").size());

    assertError(400, "bad_request", "/api/v1/metrics/timeseries?step=30s" + RANGE);
    assertError(400, "bad_request", "/api/v1/metrics/timeseries?step=1m&by=colour" + RANGE);
    assertError(400, "bad_request", "/api/v1/metrics/timeseries?step=1m&from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z");
    assertError(400, "invalid_time", "/api/v1/metrics/timeseries?from=yesterday");
  }

  @Test
  void topAndLatency() throws Exception {
    JsonNode ips = get("/api/v1/metrics/top?dimension=source_ip&limit=3" + RANGE);
    assertEquals("source_ip", ips.path("dimension").asText());
    assertEquals(3, ips.path("items").size());
    assertEquals(0, ips.path("max_error").asLong(), "five distinct values are counted exactly");
    assertEquals(300, ips.path("events").asLong());
    assertEquals(60, ips.path("items").get(0).path("count").asLong());

    JsonNode ports = get("/api/v1/metrics/top?dimension=dest_port" + RANGE);
    assertEquals("443", ports.path("items").get(0).path("value").asText());
    assertEquals(150, ports.path("items").get(0).path("count").asLong());

    JsonNode statuses = get("/api/v1/metrics/top?dimension=status" + RANGE);
    assertEquals("200", statuses.path("items").get(0).path("value").asText());
    assertEquals(3, statuses.path("items").size());

    JsonNode services = get("/api/v1/metrics/top?dimension=service" + RANGE);
    assertEquals(100, services.path("items").get(0).path("count").asLong());
    assertError(400, "bad_request", "/api/v1/metrics/top?dimension=colour" + RANGE);

    JsonNode all = get("/api/v1/metrics/latency?x=1" + RANGE);
    assertEquals(300, all.path("count").asLong());
    assertNear(299.0, all.path("max").asDouble(), "max");
    assertNear(exactPercentile(latencies, 99.9), all.path("p999").asDouble(), "p999");
    JsonNode api = get("/api/v1/metrics/latency?service=api" + RANGE);
    List<Long> apiLatencies = new ArrayList<>();
    for (int i = 0; i < 300; i += 3) {
      apiLatencies.add(i * 1000L);
    }
    assertEquals(100, api.path("count").asLong());
    assertNear(exactPercentile(apiLatencies, 90), api.path("p90").asDouble(), "api p90");
    JsonNode none = get("/api/v1/metrics/latency?service=nope" + RANGE);
    assertEquals(0, none.path("count").asLong());
    assertTrue(none.path("p50").isNull());
  }

  @Test
  void hitsAndStatsSayTheyCameFromTheRollupsAndAgreeWithTheIndex() throws Exception {
    JsonNode hits = get("/api/v1/logs/hits?step=1h" + RANGE);
    assertEquals("rollups", hits.path("source").asText());
    assertEquals(300, hits.path("total").asLong());
    JsonNode viaIndex = get("/api/v1/logs/hits?step=1h&q=" + "host:web*" + RANGE);
    assertEquals("index", viaIndex.path("source").asText());
    assertEquals(hits.path("buckets"), viaIndex.path("buckets"));
    JsonNode stats = get("/api/v1/logs/stats?x=1" + RANGE);
    assertEquals("rollups", stats.path("source").asText());
    assertEquals(300, stats.path("total").asLong());
    assertEquals(4, stats.path("unique_hosts").asLong());
    assertEquals(100, stats.path("by_service").path("api").asLong());
  }

  @Test
  void rebuildAndReindexRecountFromTheStoreForOperatorsOnly() throws Exception {
    JsonNode before = get("/api/v1/metrics/overview?x=1" + RANGE);
    HttpResponse<String> r = send("POST", "/api/v1/admin/rollups/rebuild", ADMIN, null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(300, HttpResponses.JSON.readTree(r.body()).path("events").asLong());
    JsonNode after = get("/api/v1/metrics/overview?x=1" + RANGE);
    assertEquals(before, after);
    HttpResponse<String> x = send("POST", "/api/v1/admin/reindex", ADMIN, null);
    assertEquals(200, x.statusCode(), x.body());
    assertEquals(300, HttpResponses.JSON.readTree(x.body()).path("events").asLong());
    assertEquals(300, get("/api/v1/logs/stats?q=host:web*" + RANGE).path("total").asLong());

    assertEquals(201, send("POST", "/api/v1/tenants", ADMIN, "{\"name\":\"acme\"}").statusCode());
    HttpResponse<String> k = send("POST", "/api/v1/keys", ADMIN, "{\"tenant\":\"acme\",\"role\":\"admin\",\"name\":\"a\"}");
    String acmeAdmin = HttpResponses.JSON.readTree(k.body()).path("key").asText();
    assertEquals(403, send("POST", "/api/v1/admin/rollups/rebuild", acmeAdmin, null).statusCode());
    assertEquals(403, send("POST", "/api/v1/admin/reindex", acmeAdmin, null).statusCode());
    assertEquals(405, send("GET", "/api/v1/admin/reindex", ADMIN, null).statusCode());
  }

  @Test
  void anotherTenantSeesNoneOfItAndKeysAreRequired() throws Exception {
    assertEquals(201, send("POST", "/api/v1/tenants", ADMIN, "{\"name\":\"acme\"}").statusCode());
    HttpResponse<String> k = send("POST", "/api/v1/keys", ADMIN, "{\"tenant\":\"acme\",\"role\":\"read\",\"name\":\"r\"}");
    assertEquals(201, k.statusCode(), k.body());
    String acme = HttpResponses.JSON.readTree(k.body()).path("key").asText();
    assertEquals(0, get("/api/v1/metrics/overview?x=1" + RANGE, acme).path("total").asLong());
    assertEquals(0, get("/api/v1/metrics/top?dimension=path" + RANGE, acme).path("items").size());
    assertEquals(401, send("GET", "/api/v1/metrics/overview", null, null).statusCode());
    assertEquals(405, send("POST", "/api/v1/metrics/overview", ADMIN, "{}").statusCode());
  }

  @Test
  void withRollupsOffTheMetricsAnswer404AndHitsComeFromTheIndex(@TempDir Path other) throws Exception {
    try (TestServer off = TestServer.start(other, ADMIN, Map.of("rollups.enabled", "false"))) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(off.url("/api/v1/metrics/overview")))
          .header("X-API-Key", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode());
      assertTrue(r.body().contains("rollups.enabled"), r.body());
      HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(off.url("/api/v1/logs/hits")))
          .header("X-API-Key", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, h.statusCode());
      assertEquals("index", HttpResponses.JSON.readTree(h.body()).path("source").asText());
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(off.url("/health"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("off", HttpResponses.JSON.readTree(health.body()).path("rollups").asText());
    }
    assertTrue(Arrays.asList(SERVICES).contains("api"));
  }
}
