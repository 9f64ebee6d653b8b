package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.logd.engine.Logd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin endpoints (retention, verify, backup) over a real engine and server on port 0. */
class AdminIT {
  static final String ADMIN = "test-admin-key-0123456789";
  static final long DAY_NANOS = 86_400_000_000_000L;

  @TempDir Path dir;
  TestServer running;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Noon (UTC) yesterday: inside the default 30-day retention whatever the date. */
  final Instant recent = LocalDate.now(ZoneOffset.UTC).minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);

  @BeforeEach
  void start() throws Exception {
    running = TestServer.start(dir.resolve("data"), ADMIN);
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
  }

  HttpResponse<String> send(String method, String pathAndQuery, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(running.url(pathAndQuery)))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(60));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode ok(String method, String pathAndQuery, String body) throws Exception {
    HttpResponse<String> r = send(method, pathAndQuery, ADMIN, body);
    assertEquals(200, r.statusCode(), pathAndQuery + ": " + r.body());
    return HttpResponses.JSON.readTree(r.body());
  }

  void assertError(int status, String code, HttpResponse<String> r) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(code, HttpResponses.JSON.readTree(r.body()).path("error").path("code").asText(), r.body());
  }

  /** Ingests {@code n} events a second apart from {@code start}, each with {@code marker} in its message. */
  void ingest(String key, Instant start, int n, String marker) throws Exception {
    StringBuilder ndjson = new StringBuilder();
    for (int i = 0; i < n; i++) {
      ndjson.append("{\"timestamp\":\"").append(start.plusSeconds(i)).append("\",\"service\":\"api\",\"message\":\"")
          .append(marker).append(' ').append(i).append("\"}\n");
    }
    HttpResponse<String> r = send("POST", "/api/v1/logs/bulk", key, ndjson.toString());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(n, HttpResponses.JSON.readTree(r.body()).path("accepted").asInt(), r.body());
  }

  long searchTotal(String q) throws Exception {
    return ok("GET", "/api/v1/logs/stats?from=-90d&q=" + q, null).path("total").asLong();
  }

  /** Creates tenant {@code acme} and a key of it over the API; answers the secret. */
  String acmeKey(String role) throws Exception {
    HttpResponse<String> t = send("POST", "/api/v1/tenants", ADMIN, "{\"name\":\"acme\"}");
    assertTrue(t.statusCode() == 201 || t.statusCode() == 400, t.body()); // 400: made by an earlier call
    HttpResponse<String> k = send("POST", "/api/v1/keys", ADMIN,
        "{\"tenant\":\"acme\",\"role\":\"" + role + "\",\"name\":\"" + role + "\"}");
    assertEquals(201, k.statusCode(), k.body());
    return HttpResponses.JSON.readTree(k.body()).path("key").asText();
  }

  @Test
  void retentionDropsTheDaysPastMaxAge() throws Exception {
    Instant old = recent.minus(60, ChronoUnit.DAYS);
    ingest(ADMIN, old, 10, "old");
    ingest(ADMIN, recent, 20, "new");
    running.logd.index().awaitSearchable();

    JsonNode r = ok("POST", "/api/v1/admin/retention", null);
    assertEquals(List.of(old.atZone(ZoneOffset.UTC).toLocalDate().toString()), texts(r.path("dropped_days")));
    assertTrue(r.path("bytes_before").asLong() > 0, r.toString());
    assertTrue(r.path("bytes_after").asLong() > 0, r.toString());
    assertFalse(r.path("over_budget").asBoolean(true), r.toString());
    assertEquals(0, searchTotal("old"));
    assertEquals(20, searchTotal("new"));

    JsonNode again = ok("POST", "/api/v1/admin/retention", null);
    assertEquals(List.of(), texts(again.path("dropped_days")));
    assertTrue(ok("GET", "/api/v1/admin/verify", null).path("ok").asBoolean(), "consistent after retention");
  }

  static List<String> texts(JsonNode array) {
    assertTrue(array.isArray(), array.toString());
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void verifyCountsEveryTenantAndNamesTheDayThatDisagrees() throws Exception {
    String acmeIngest = acmeKey("ingest");
    ingest(ADMIN, recent, 120, "d");
    ingest(ADMIN, recent.plus(1, ChronoUnit.DAYS), 30, "d");
    ingest(acmeIngest, recent, 7, "a");

    JsonNode v = ok("GET", "/api/v1/admin/verify", null);
    assertTrue(v.path("ok").asBoolean(), v.toString());
    assertEquals(List.of(), texts(v.path("problems")));
    assertTrue(v.path("took_ms").isIntegralNumber(), v.toString());
    assertEquals(tenant("default", 150), tenantEntry(v, "default"));
    assertEquals(tenant("acme", 7), tenantEntry(v, "acme"));

    // Documents of the first day vanish from the index only: the store still has the events.
    LocalDate firstDay = recent.atZone(ZoneOffset.UTC).toLocalDate();
    running.logd.index().deleteBefore(Logd.DEFAULT_TENANT, (firstDay.toEpochDay() + 1) * DAY_NANOS);
    JsonNode bad = ok("GET", "/api/v1/admin/verify", null);
    assertFalse(bad.path("ok").asBoolean(true), bad.toString());
    assertEquals(List.of("tenant default, day " + firstDay + ": 120 events stored but 0 indexed"),
        texts(bad.path("problems")));
    assertEquals(30, tenantEntry(bad, "default").path("indexed").asLong());
    assertEquals(150, tenantEntry(bad, "default").path("rolled_up").asLong());
    assertEquals(tenant("acme", 7), tenantEntry(bad, "acme"));
  }

  static JsonNode tenant(String name, long n) throws Exception {
    return HttpResponses.JSON.readTree(String.format(
        "{\"tenant\":\"%s\",\"events\":%d,\"indexed\":%d,\"rolled_up\":%d,\"undecodable\":0}", name, n, n, n));
  }

  static JsonNode tenantEntry(JsonNode verification, String name) {
    for (JsonNode t : verification.path("tenants")) {
      if (t.path("tenant").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no tenant " + name + " in " + verification);
  }

  @Test
  void verifyAnswersNullRollupsWhenTheyAreOff() throws Exception {
    running.close();
    running = TestServer.start(dir.resolve("data2"), ADMIN, Map.of("rollups.enabled", "false"));
    ingest(ADMIN, recent, 5, "x");
    JsonNode t = tenantEntry(ok("GET", "/api/v1/admin/verify", null), "default");
    assertTrue(t.has("rolled_up") && t.path("rolled_up").isNull(), t.toString());
    assertEquals(5, t.path("indexed").asLong());
  }

  static final List<String[]> ENDPOINTS = List.of(
      new String[] {"POST", "/api/v1/admin/retention", null},
      new String[] {"GET", "/api/v1/admin/verify", null},
      new String[] {"POST", "/api/v1/admin/backup", "{\"dir\":\"/tmp/never-written\"}"});

  @Test
  void onlyAdminsOfTenantDefaultMayUseThem() throws Exception {
    String acmeAdmin = acmeKey("admin");
    HttpResponse<String> k = send("POST", "/api/v1/keys", ADMIN, "{\"role\":\"read\",\"name\":\"r\"}");
    assertEquals(201, k.statusCode(), k.body());
    String defaultRead = HttpResponses.JSON.readTree(k.body()).path("key").asText();
    for (String[] e : ENDPOINTS) {
      assertError(403, HttpResponses.FORBIDDEN, send(e[0], e[1], acmeAdmin, e[2]));
      assertError(403, HttpResponses.FORBIDDEN, send(e[0], e[1], defaultRead, e[2]));
      assertError(401, HttpResponses.UNAUTHORIZED, send(e[0], e[1], null, e[2]));
    }
    assertFalse(Files.exists(Path.of("/tmp/never-written")));
  }

  @Test
  void wrongMethodsAreRefusedWithAllow() throws Exception {
    for (String[] e : List.of(new String[] {"GET", "/api/v1/admin/retention", "POST"},
        new String[] {"DELETE", "/api/v1/admin/retention", "POST"},
        new String[] {"POST", "/api/v1/admin/verify", "GET"},
        new String[] {"HEAD", "/api/v1/admin/verify", "GET"},
        new String[] {"GET", "/api/v1/admin/backup", "POST"},
        new String[] {"PUT", "/api/v1/admin/backup", "POST"})) {
      HttpResponse<String> r = send(e[0], e[1], ADMIN, null);
      assertEquals(405, r.statusCode(), e[0] + " " + e[1] + ": " + r.body());
      assertEquals(e[2], r.headers().firstValue("Allow").orElse(""), e[0] + " " + e[1]);
    }
  }

  @Test
  void backupRefusesDirectoriesItCannotUse() throws Exception {
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("keep.txt"), "x");
    for (String body : List.of("{\"dir\":\"relative/backup\"}", "{\"dir\":\"" + full + "\"}", "{}", "{\"dir\":\"\"}",
        "{\"dir\":42}", "{\"dir\":\"" + dir.resolve("data").resolve("inside") + "\"}")) {
      assertError(400, HttpResponses.BAD_REQUEST, send("POST", "/api/v1/admin/backup", ADMIN, body));
    }
    assertError(400, HttpResponses.INVALID_JSON, send("POST", "/api/v1/admin/backup", ADMIN, "dir=/tmp/x"));
    assertError(400, HttpResponses.INVALID_JSON, send("POST", "/api/v1/admin/backup", ADMIN, null));
    assertEquals(List.of(full.resolve("keep.txt")), Files.list(full).toList());
    assertFalse(Files.exists(dir.resolve("data").resolve("inside")));
  }

  @Test
  void backupRestoresAsADataDirectory() throws Exception {
    ingest(ADMIN, recent, 300, "before");
    running.logd.index().commitNow(); // part of the events committed to Lucene, the rest only in pending
    ingest(ADMIN, recent.plus(1, ChronoUnit.DAYS), 200, "before");
    Path backup = dir.resolve("backups").resolve("b1");

    JsonNode b = ok("POST", "/api/v1/admin/backup", "{\"dir\":\"" + backup + "\"}");
    assertEquals(backup.toString(), b.path("dir").asText());
    assertTrue(b.path("bytes").asLong() > 0, b.toString());
    assertTrue(b.path("took_ms").isIntegralNumber(), b.toString());
    assertTrue(Files.isDirectory(backup.resolve("store")));
    assertTrue(Files.isDirectory(backup.resolve("index")));
    ingest(ADMIN, recent, 40, "after"); // not in the backup
    running.logd.index().awaitSearchable();
    assertEquals(40, searchTotal("after"));

    // Restore: stop logd, start it on the backup directory.
    running.close();
    running = TestServer.start(backup, ADMIN);
    running.logd.index().awaitSearchable();
    assertEquals(500, searchTotal("before"));
    assertEquals(0, searchTotal("after"));
    JsonNode events = ok("GET", "/api/v1/logs?q=before&from=-90d&limit=1000", null).path("events");
    assertEquals(500, events.size());
    JsonNode v = ok("GET", "/api/v1/admin/verify", null);
    assertTrue(v.path("ok").asBoolean(), v.toString());
    assertEquals(tenant("default", 500), tenantEntry(v, "default"));
  }
}
