package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logd.engine.Logd;
import io.logd.tenant.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every /api/ endpoint against every role: allowed, 403, or 401 without a key. */
class AuthMatrixIT {
  static final String KEY = "matrix-admin-key-0123456789";

  @TempDir Path dir;

  record Endpoint(String method, String path, String body, Role needs) {}

  static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint("POST", "/api/v1/logs", "{\"message\":\"m\"}", Role.INGEST),
      new Endpoint("POST", "/api/v1/logs/bulk", "{\"message\":\"m\"}\n", Role.INGEST),
      new Endpoint("POST", "/ingest", "[{\"message\":\"m\"}]", Role.INGEST),
      new Endpoint("POST", "/_bulk", "{\"index\":{}}\n{\"message\":\"m\"}\n", Role.INGEST),
      new Endpoint("GET", "/api/v1/logs", null, Role.READ),
      new Endpoint("GET", "/api/v1/logs/0000000000000001000000000000000f", null, Role.READ),
      new Endpoint("GET", "/api/v1/logs/hits", null, Role.READ),
      new Endpoint("GET", "/api/v1/logs/facets", null, Role.READ),
      new Endpoint("GET", "/api/v1/logs/stats", null, Role.READ),
      new Endpoint("GET", "/api/v1/logs/export", null, Role.READ),
      new Endpoint("GET", "/api/v1/fields", null, Role.READ),
      new Endpoint("GET", "/api/v1/metrics/overview", null, Role.READ),
      new Endpoint("GET", "/api/v1/metrics/timeseries", null, Role.READ),
      new Endpoint("GET", "/api/v1/metrics/top", null, Role.READ),
      new Endpoint("GET", "/api/v1/metrics/latency", null, Role.READ),
      new Endpoint("GET", "/api/v1/fields/host/values", null, Role.READ),
      new Endpoint("GET", "/api/v1/tenants", null, Role.ADMIN),
      new Endpoint("GET", "/api/v1/keys", null, Role.ADMIN),
      new Endpoint("DELETE", "/api/v1/keys/0123456789abcdef", null, Role.ADMIN),
      new Endpoint("DELETE", "/api/v1/logs?before=-3650d", null, Role.ADMIN));

  @Test
  void everyEndpointChecksTheRole() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (TestServer t = TestServer.start(dir, KEY)) {
      Logd logd = t.logd;
      LogdServer server = t.server;
      logd.keys().createTenant("acme");
      Map<Role, String> keys = Map.of(
          Role.ADMIN, logd.keys().createKey("acme", Role.ADMIN, "a").secret(),
          Role.INGEST, logd.keys().createKey("acme", Role.INGEST, "i").secret(),
          Role.READ, logd.keys().createKey("acme", Role.READ, "r").secret());
      List<String> wrong = new ArrayList<>();
      for (Endpoint e : ENDPOINTS) {
        check(http, server, e, null, 401, wrong);
        for (Role role : Role.values()) {
          boolean allowed = role.allows(e.needs());
          int status = send(http, server, e, keys.get(role));
          if (allowed ? (status == 401 || status == 403) : status != 403) {
            wrong.add(e.method() + " " + e.path() + " as " + role + ": " + status);
          }
        }
      }
      assertEquals(List.of(), wrong);
    }
  }

  private static void check(HttpClient http, LogdServer server, Endpoint e, String key, int expected, List<String> wrong)
      throws Exception {
    int status = send(http, server, e, key);
    if (status != expected) {
      wrong.add(e.method() + " " + e.path() + " without a key: " + status);
    }
  }

  private static int send(HttpClient http, LogdServer server, Endpoint e, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + e.path()))
        .method(e.method(), e.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(e.body()))
        .timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
