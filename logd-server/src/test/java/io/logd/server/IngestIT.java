package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.logd.engine.Logd;
import io.logd.event.FieldValue;
import io.logd.event.StoredEvent;
import io.logd.query.Searcher;
import io.logd.query.TimeRange;
import io.logd.tenant.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest endpoints over a real engine on port 0, with java.net.http as the client. */
class IngestIT {
  static final String ADMIN = "test-admin-key-0123456789";

  @TempDir Path dir;
  TestServer running;
  Logd logd;
  LogdServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws IOException {
    running = TestServer.start(dir, ADMIN);
    logd = running.logd;
    server = running.server;
  }

  @AfterEach
  void stop() throws IOException {
    running.close();
  }

  HttpResponse<String> post(String path, String key, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return post(path, ADMIN, body.getBytes(StandardCharsets.UTF_8));
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return HttpResponses.JSON.readTree(r.body());
  }

  List<StoredEvent> search(String q) throws Exception {
    logd.index().awaitSearchable();
    return logd.searcher().search(new Searcher.Request(Logd.DEFAULT_TENANT, q, TimeRange.ALL, 100, null, true)).events();
  }

  @Test
  void oneEventIsDurableAndSearchableWhenTheAnswerComes() throws Exception {
    HttpResponse<String> r = post("/api/v1/logs",
        "{\"timestamp\":\"2026-11-23T10:00:00.123456Z\",\"host\":\"web-1\",\"service\":\"nginx\",\"level\":\"info\","
            + "\"message\":\"GET /index.html 200\",\"status\":200,\"client_ip\":\"10.1.2.3\",\"tags\":[\"edge\"]}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, json(r).path("accepted").asInt());
    assertEquals(0, json(r).path("rejected").size());
    List<StoredEvent> found = search("status:200 AND client_ip:10.0.0.0/8");
    assertEquals(1, found.size());
    assertEquals("web-1", found.get(0).event().host());
  }

  @Test
  void badEventsAtTheStartMiddleAndEndAreReportedAndTheGoodOnesKept() throws Exception {
    String ndjson = """
        {"message":"bad time","timestamp":"yesterday"}
        {"message":"good one"}
        {"message": "broken",
        {"message":"good two"}
        not json at all""";
    HttpResponse<String> r = post("/api/v1/logs/bulk", ndjson);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals(2, body.path("accepted").asInt(), r.body());
    assertEquals(List.of(0, 2, 4), body.path("rejected").findValues("index").stream().map(JsonNode::asInt).toList());
    assertEquals("timestamp: cannot parse 'yesterday'", body.path("rejected").get(0).path("error").asText());
    assertEquals(2, search("good").size());

    HttpResponse<String> array = post("/ingest", "[{\"message\":\"a1\"}, 42, {\"message\":\"a2\",\"ts\":\"nope\"}, {\"message\":\"a3\"}]");
    assertEquals(200, array.statusCode(), array.body());
    assertEquals(2, json(array).path("accepted").asInt());
    assertEquals(List.of(1, 2), json(array).path("rejected").findValues("index").stream().map(JsonNode::asInt).toList());
  }

  @Test
  void aBodyThatIsNotJsonIs400WithWhere() throws Exception {
    HttpResponse<String> r = post("/api/v1/logs", "{\"message\": \"x\",\n \"a\": }");
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("invalid_json", json(r).path("error").path("code").asText());
    assertTrue(json(r).path("error").path("message").asText().startsWith("line 2"), r.body());
  }

  @Test
  void gzipBodiesAreAccepted() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
      for (int i = 0; i < 1000; i++) {
        gz.write(("{\"message\":\"zipped " + i + "\",\"n\":" + i + "}\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    HttpResponse<String> r = post("/api/v1/logs/bulk", ADMIN, buf.toByteArray(), "Content-Encoding", "gzip");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1000, json(r).path("accepted").asInt());
    logd.index().awaitSearchable();
    assertEquals(1000, logd.searcher().count(Logd.DEFAULT_TENANT, "zipped", TimeRange.ALL));
  }

  @Test
  void keysDecideWhoMayIngestAndWhere() throws Exception {
    byte[] one = "{\"message\":\"keyed\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals(401, post("/api/v1/logs", null, one).statusCode());
    HttpResponse<String> unknown = post("/api/v1/logs", "logd_nope", one);
    assertEquals(401, unknown.statusCode());
    assertEquals("unauthorized", json(unknown).path("error").path("code").asText());

    logd.keys().createTenant("acme");
    String read = logd.keys().createKey("acme", Role.READ, "grafana").secret();
    String ingest = logd.keys().createKey("acme", Role.INGEST, "fleet").secret();
    HttpResponse<String> forbidden = post("/api/v1/logs", read, one);
    assertEquals(403, forbidden.statusCode());
    assertEquals("forbidden", json(forbidden).path("error").path("code").asText());

    HttpRequest bearer = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/logs"))
        .header("Authorization", "Bearer " + ingest).POST(HttpRequest.BodyPublishers.ofByteArray(one)).build();
    assertEquals(200, http.send(bearer, HttpResponse.BodyHandlers.ofString()).statusCode());
    logd.index().awaitSearchable();
    int acme = logd.keys().tenant("acme").orElseThrow().id();
    assertEquals(1, logd.searcher().count(acme, "keyed", TimeRange.ALL), "stored under the key's tenant");
    assertEquals(0, logd.searcher().count(Logd.DEFAULT_TENANT, "keyed", TimeRange.ALL));

    logd.keys().revoke(acme, logd.keys().authenticate(ingest).orElseThrow().id());
    assertEquals(401, post("/api/v1/logs", ingest, one).statusCode(), "a revoked key is refused");
  }

  @Test
  void nestedFieldsArriveFlattened() throws Exception {
    assertEquals(200, post("/api/v1/logs", "{\"message\":\"nested\",\"http\":{\"status\":503}}").statusCode());
    StoredEvent e = search("http.status:503").get(0);
    assertEquals(FieldValue.of(503), e.event().fields().get("http.status"));
  }
}
