package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.logd.engine.Logd;
import io.logd.tenant.Role;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search and read endpoints over a real engine on port 0. */
class SearchIT {
  static final String ADMIN = "test-admin-key-0123456789";

  @TempDir Path dir;
  TestServer running;
  Logd logd;
  LogdServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    running = TestServer.start(dir, ADMIN);
    logd = running.logd;
    server = running.server;
    StringBuilder ndjson = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      ndjson.append("{\"timestamp\":\"2026-11-23T10:00:").append(String.format("%02d", i))
          .append("Z\",\"host\":\"web-1\",\"service\":\"api\",\"level\":\"").append(i % 5 == 0 ? "error" : "info")
          .append("\",\"message\":\"request ").append(i).append(" from 10.1.2.").append(i)
          .append("\",\"status\":").append(i % 5 == 0 ? 500 : 200).append(",\"i\":").append(i).append("}\n");
    }
    HttpResponse<String> r = send("POST", "/api/v1/logs/bulk", ADMIN, ndjson.toString());
    assertEquals(200, r.statusCode(), r.body());
    logd.index().awaitSearchable();
  }

  @AfterEach
  void stop() throws IOException {
    running.close();
  }

  HttpResponse<String> send(String method, String pathAndQuery, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode get(String pathAndQuery) throws Exception {
    HttpResponse<String> r = send("GET", pathAndQuery, ADMIN, null);
    assertEquals(200, r.statusCode(), r.body());
    return HttpResponses.JSON.readTree(r.body());
  }

  static List<String> messages(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("events").forEach(e -> out.add(e.path("message").asText()));
    return out;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void searchAnswersEventsInTheContractsShapeNewestFirst() throws Exception {
    JsonNode body = get("/api/v1/logs?q=" + enc("level:error AND status:[500 TO 599]"));
    JsonNode events = body.path("events");
    assertEquals(5, events.size());
    assertEquals("2026-11-23T10:00:20Z", events.get(0).path("timestamp").asText());
    JsonNode e = events.get(0);
    assertEquals(32, e.path("id").asText().length());
    assertEquals("default", e.path("tenant").asText());
    assertEquals("web-1", e.path("host").asText());
    assertEquals("error", e.path("level").asText());
    assertEquals(500, e.path("fields").path("status").asInt());
    assertTrue(body.path("next_cursor").isNull());
    assertTrue(body.has("took_ms"));
  }

  @Test
  void cursorsPageThroughEverythingOnce() throws Exception {
    Set<String> ids = new HashSet<>();
    List<Integer> order = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode body = get("/api/v1/logs?limit=7&order=asc" + (cursor == null ? "" : "&cursor=" + enc(cursor)));
      for (JsonNode e : body.path("events")) {
        assertTrue(ids.add(e.path("id").asText()));
        order.add(e.path("fields").path("i").asInt());
      }
      cursor = body.path("next_cursor").isNull() ? null : body.path("next_cursor").asText();
    } while (cursor != null);
    assertEquals(25, ids.size());
    for (int i = 0; i < 25; i++) {
      assertEquals(i, order.get(i));
    }
  }

  @Test
  void getByIdIsTenantScoped() throws Exception {
    String id = get("/api/v1/logs?limit=1").path("events").get(0).path("id").asText();
    assertEquals(id, get("/api/v1/logs/" + id).path("id").asText());
    logd.keys().createTenant("acme");
    String other = logd.keys().createKey("acme", Role.READ, "r").secret();
    HttpResponse<String> r = send("GET", "/api/v1/logs/" + id, other, null);
    assertEquals(404, r.statusCode(), "another tenant's event answers 404: " + r.body());
    assertEquals(404, send("GET", "/api/v1/logs/not-an-id", ADMIN, null).statusCode());
    assertEquals(0, HttpResponses.JSON.readTree(send("GET", "/api/v1/logs", other, null).body()).path("events").size());
  }

  @Test
  void badParametersAre400WithClearMessages() throws Exception {
    HttpResponse<String> q = send("GET", "/api/v1/logs?q=" + enc("service:api AND (level:error"), ADMIN, null);
    assertEquals(400, q.statusCode());
    JsonNode error = HttpResponses.JSON.readTree(q.body()).path("error");
    assertEquals("invalid_query", error.path("code").asText());
    assertTrue(error.path("position").asInt() >= 0, q.body());
    HttpResponse<String> t = send("GET", "/api/v1/logs?from=yesterday", ADMIN, null);
    assertEquals(400, t.statusCode());
    assertTrue(t.body().contains("from: cannot parse 'yesterday'"), t.body());
    assertEquals(400, send("GET", "/api/v1/logs?limit=0", ADMIN, null).statusCode());
    assertEquals(400, send("GET", "/api/v1/logs?cursor=garbage", ADMIN, null).statusCode());
    assertEquals(400, send("GET", "/api/v1/logs?order=sideways", ADMIN, null).statusCode());
  }

  @Test
  void aPatternPieceTooBroadForTheIndexIsExactOrAnswersQueryTooBroad() throws Exception {
    // 100,001 distinct parts starting with "2": more than the index expands for "2*"
    for (int batch = 0; batch < 10; batch++) {
      StringBuilder ndjson = new StringBuilder();
      for (int i = batch * 10_000; i < (batch + 1) * 10_000 + (batch == 9 ? 1 : 0); i++) {
        ndjson.append("{\"timestamp\":\"2026-11-23T11:00:00Z\",\"message\":\"client 10.1.3.4 sent 2").append(i)
            .append(" bytes\"}\n");
      }
      assertEquals(200, send("POST", "/api/v1/logs/bulk", ADMIN, ndjson.toString()).statusCode());
    }
    logd.index().awaitSearchable();
    // few candidates ("from 10.1"): each is checked against its stored message, and all 25 are exact
    JsonNode found = get("/api/v1/logs?limit=100&q=" + enc("from 10.1.2*"));
    assertEquals(25, found.path("events").size(), found.toString());
    assertEquals(List.of("request 4 from 10.1.2.4"), messages(get("/api/v1/logs?q=" + enc("from 10.1.2*.4"))));
    // every event a candidate: too many to check
    HttpResponse<String> r = send("GET", "/api/v1/logs/hits?step=1h&q=" + enc("2*.bytes"), ADMIN, null);
    assertEquals(400, r.statusCode(), r.body());
    JsonNode error = HttpResponses.JSON.readTree(r.body()).path("error");
    assertEquals("query_too_broad", error.path("code").asText(), r.body());
    assertTrue(error.path("message").asText().contains("narrow the time range"), r.body());
    HttpResponse<String> export = send("GET", "/api/v1/logs/export?q=" + enc("2*.bytes"), ADMIN, null);
    assertEquals(400, export.statusCode(), "an export fails before its first line: " + export.body());
    assertTrue(export.body().contains("query_too_broad"), export.body());
  }

  @Test
  void searchNeedsAReadCapableKey() throws Exception {
    assertEquals(401, send("GET", "/api/v1/logs", null, null).statusCode());
    String ingestOnly = logd.keys().createKey("default", Role.INGEST, "fleet").secret();
    assertEquals(403, send("GET", "/api/v1/logs", ingestOnly, null).statusCode());
  }

  @Test
  void hitsFacetsFieldsValuesAndContext() throws Exception {
    String range = "&from=" + enc("2026-11-23T10:00:00Z") + "&to=" + enc("2026-11-23T10:01:00Z");
    JsonNode hits = get("/api/v1/logs/hits?step=10s" + range);
    assertEquals(25, hits.path("total").asInt());
    assertEquals(6, hits.path("buckets").size());
    assertEquals("2026-11-23T10:00:10Z", hits.path("buckets").get(1).path("t").asText());
    assertEquals(10, hits.path("buckets").get(1).path("count").asInt());
    assertEquals(400, send("GET", "/api/v1/logs/hits?step=fortnight", ADMIN, null).statusCode());

    JsonNode facets = get("/api/v1/logs/facets?fields=level,status&q=" + enc("service:api"));
    assertEquals("info", facets.path("level").get(0).path("value").asText());
    assertEquals(20, facets.path("level").get(0).path("count").asInt());
    assertEquals("500", facets.path("status").get(1).path("value").asText());

    JsonNode fields = get("/api/v1/fields");
    boolean statusIsLong = false;
    for (JsonNode f : fields.path("fields")) {
      statusIsLong |= f.path("name").asText().equals("status") && f.path("types").get(0).asText().equals("long");
    }
    assertTrue(statusIsLong, fields.toString());
    JsonNode values = get("/api/v1/fields/host/values?limit=5");
    assertEquals("web-1", values.path("values").get(0).path("value").asText());

    String id = get("/api/v1/logs?q=" + enc("i:12")).path("events").get(0).path("id").asText();
    JsonNode ctx = get("/api/v1/logs/" + id + "/context?before=2&after=3");
    assertEquals(12, ctx.path("event").path("fields").path("i").asInt());
    assertEquals(2, ctx.path("before").size());
    assertEquals(11, ctx.path("before").get(1).path("fields").path("i").asInt());
    assertEquals(3, ctx.path("after").size());
    assertEquals(13, ctx.path("after").get(0).path("fields").path("i").asInt());
  }

  @Test
  void tenantsAndKeysAreManagedByAdmins() throws Exception {
    HttpResponse<String> created = send("POST", "/api/v1/tenants", ADMIN, "{\"name\":\"acme\"}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals(400, send("POST", "/api/v1/tenants", ADMIN, "{\"name\":\"Not Valid\"}").statusCode());
    assertEquals(400, send("POST", "/api/v1/tenants", ADMIN, "{oops").statusCode());

    HttpResponse<String> key = send("POST", "/api/v1/keys", ADMIN, "{\"tenant\":\"acme\",\"role\":\"admin\",\"name\":\"ops\"}");
    assertEquals(201, key.statusCode(), key.body());
    JsonNode k = HttpResponses.JSON.readTree(key.body());
    String acmeAdmin = k.path("key").asText();
    assertTrue(acmeAdmin.startsWith("logd_"));

    // An admin of acme sees only acme, cannot make tenants, and cannot touch default's keys.
    JsonNode tenants = HttpResponses.JSON.readTree(send("GET", "/api/v1/tenants", acmeAdmin, null).body());
    assertEquals(1, tenants.path("tenants").size());
    assertEquals(403, send("POST", "/api/v1/tenants", acmeAdmin, "{\"name\":\"evil\"}").statusCode());
    assertEquals(404, send("POST", "/api/v1/keys", acmeAdmin, "{\"tenant\":\"default\",\"role\":\"admin\"}").statusCode());
    String defaultKeyId = HttpResponses.JSON.readTree(send("GET", "/api/v1/keys", ADMIN, null).body())
        .path("keys").get(0).path("id").asText();
    assertEquals(404, send("DELETE", "/api/v1/keys/" + defaultKeyId, acmeAdmin, null).statusCode());
    JsonNode acmeKeys = HttpResponses.JSON.readTree(send("GET", "/api/v1/keys", acmeAdmin, null).body());
    assertEquals(1, acmeKeys.path("keys").size());
    assertTrue(!acmeKeys.toString().contains(acmeAdmin), "secrets are never listed");

    HttpResponse<String> revoked = send("DELETE", "/api/v1/keys/" + k.path("id").asText(), ADMIN, null);
    assertEquals(200, revoked.statusCode(), revoked.body());
    assertEquals(401, send("GET", "/api/v1/tenants", acmeAdmin, null).statusCode());
    String reader = logd.keys().createKey("default", Role.READ, "r").secret();
    assertEquals(403, send("GET", "/api/v1/keys", reader, null).statusCode());
  }

  @Test
  void statsAndMetrics() throws Exception {
    JsonNode stats = get("/api/v1/logs/stats");
    assertEquals(25, stats.path("total").asInt());
    assertEquals(5, stats.path("by_level").path("error").asInt());
    assertEquals(25, stats.path("by_service").path("api").asInt());
    assertEquals(1, stats.path("unique_hosts").asInt());
    get("/api/v1/logs?q=request");
    HttpResponse<String> m = send("GET", "/metrics", null, null);
    assertEquals(200, m.statusCode());
    assertTrue(m.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
    assertTrue(m.body().contains("\nlogd_ingest_events_total 25\n"), m.body());
    assertTrue(m.body().contains("logd_ingest_rejected_total{reason=\"overloaded\"} 0"), m.body());
    assertTrue(m.body().contains("\nlogd_query_latency_seconds_count 1\n"), m.body());
    assertTrue(m.body().contains("logd_commit_latency_seconds{quantile=\"0.99\"}"), m.body());
    assertTrue(m.body().contains("\nlogd_up 1\n"), m.body());
    assertTrue(m.body().contains("\nlogd_tail_dropped_groups_total 0\n"), m.body());
  }

  @Test
  void deleteBeforeRemovesOnlyTheCallersOlderEvents() throws Exception {
    logd.keys().createTenant("acme");
    String acme = logd.keys().createKey("acme", Role.ADMIN, "a").secret();
    assertEquals(200, send("POST", "/api/v1/logs", acme, "{\"timestamp\":\"2026-11-23T09:00:00Z\",\"message\":\"keep\"}").statusCode());
    String reader = logd.keys().createKey("default", Role.READ, "r").secret();
    assertEquals(403, send("DELETE", "/api/v1/logs?before=now", reader, null).statusCode());
    assertEquals(400, send("DELETE", "/api/v1/logs", ADMIN, null).statusCode());
    HttpResponse<String> r = send("DELETE", "/api/v1/logs?before=" + enc("2026-11-23T10:00:10Z"), ADMIN, null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(10, HttpResponses.JSON.readTree(r.body()).path("deleted").asInt());
    assertEquals(15, get("/api/v1/logs?limit=100").path("events").size());
    assertEquals("2026-11-23T10:00:10Z", get("/api/v1/logs?order=asc&limit=1").path("events").get(0).path("timestamp").asText());
    logd.index().awaitSearchable();
    assertEquals(1, HttpResponses.JSON.readTree(send("GET", "/api/v1/logs", acme, null).body()).path("events").size(),
        "another tenant's events stay");
  }

  @Test
  void exportStreamsEveryMatchAsNdjsonOrCsv() throws Exception {
    StringBuilder more = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      more.append("{\"timestamp\":\"2026-11-23T11:00:00Z\",\"message\":\"bulk line ").append(i)
          .append(", with a comma and a \\\"quote\\\"\",\"k\":").append(i).append("}\n");
    }
    assertEquals(200, send("POST", "/api/v1/logs/bulk", ADMIN, more.toString()).statusCode());
    logd.index().awaitSearchable();

    HttpResponse<String> nd = send("GET", "/api/v1/logs/export", ADMIN, null);
    assertEquals(200, nd.statusCode(), nd.body());
    assertTrue(nd.headers().firstValue("content-type").orElse("").startsWith("application/x-ndjson"));
    List<String> lines = nd.body().lines().toList();
    assertEquals(5025, lines.size());
    String previous = "";
    for (String line : lines) {
      String t = HttpResponses.JSON.readTree(line).path("timestamp").asText();
      assertTrue(t.compareTo(previous) >= 0, "ascending by time");
      previous = t;
    }

    HttpResponse<String> csv = send("GET", "/api/v1/logs/export?format=csv&q=" + enc("level:error"), ADMIN, null);
    assertEquals(200, csv.statusCode());
    List<String> rows = csv.body().lines().toList();
    assertEquals("timestamp,id,host,service,level,facility,message,fields,tags", rows.get(0));
    assertEquals(6, rows.size());
    HttpResponse<String> quoted = send("GET", "/api/v1/logs/export?format=csv&q=" + enc("k:7"), ADMIN, null);
    assertTrue(quoted.body().contains("\"bulk line 7, with a comma and a \"\"quote\"\"\""), quoted.body());

    assertEquals(400, send("GET", "/api/v1/logs/export?format=xml", ADMIN, null).statusCode());
    assertEquals(200, send("GET", "/health", null, null).statusCode(), "the connection serves on after a stream");
  }

  @Test
  void pageAndPageSizeAddPageAndTotal() throws Exception {
    JsonNode p2 = get("/api/v1/logs?page=2&page_size=10&order=asc");
    assertEquals(2, p2.path("page").asInt());
    assertEquals(25, p2.path("total").asInt());
    assertEquals(10, p2.path("events").size());
    assertEquals(10, p2.path("events").get(0).path("fields").path("i").asInt());
    assertEquals(5, get("/api/v1/logs?page=3&page_size=10").path("events").size());
    assertEquals(400, send("GET", "/api/v1/logs?page=1000&page_size=1000", ADMIN, null).statusCode());
  }

  @Test
  void answersAreGzippedForClientsThatAcceptIt() throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/logs/export"))
        .header("X-API-Key", ADMIN).header("Accept-Encoding", "gzip").build();
    HttpResponse<byte[]> gz = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, gz.statusCode());
    assertEquals("gzip", gz.headers().firstValue("content-encoding").orElse(""));
    String text = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body())).readAllBytes(),
        StandardCharsets.UTF_8);
    assertEquals(25, text.lines().count());
    HttpRequest small = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/health"))
        .header("Accept-Encoding", "gzip").build();
    assertTrue(http.send(small, HttpResponse.BodyHandlers.ofString()).headers().firstValue("content-encoding").isEmpty(),
        "small answers are sent as they are");
  }
}
