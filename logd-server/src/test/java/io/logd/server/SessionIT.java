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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dashboard sessions and static files over a real server on port 0. */
class SessionIT {
  static final String ADMIN = "test-admin-key-0123456789";

  @TempDir Path dir;
  TestServer running;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    running = TestServer.start(dir, ADMIN);
  }

  @AfterEach
  void stop() throws Exception {
    running.close();
  }

  HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(running.url(path)))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Signs in and answers the cookie pair ({@code logd_session=…}). */
  String signIn(String key) throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/session", "{\"key\":\"" + key + "\"}");
    assertEquals(200, r.statusCode(), r.body());
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"),
        setCookie);
    assertTrue(!r.body().contains(key), "the answer never echoes the key");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void signInUseSignOut() throws Exception {
    assertEquals(401, send("POST", "/api/v1/session", "{\"key\":\"nope-0123456789\"}").statusCode());
    assertEquals(400, send("POST", "/api/v1/session", "not json").statusCode());
    assertEquals(401, send("GET", "/api/v1/session", null).statusCode());

    String cookie = signIn(ADMIN);
    HttpResponse<String> who = send("GET", "/api/v1/session", null, "Cookie", cookie);
    assertEquals(200, who.statusCode(), who.body());
    JsonNode j = HttpResponses.JSON.readTree(who.body());
    assertEquals("default", j.path("tenant").asText());
    assertEquals("admin", j.path("role").asText());

    assertEquals(200, send("GET", "/api/v1/logs", null, "Cookie", cookie).statusCode());
    // Changing something with a cookie needs the header a cross-site form cannot send.
    assertEquals(403, send("POST", "/api/v1/logs", "{\"message\":\"m\"}", "Cookie", cookie).statusCode());
    assertEquals(200, send("POST", "/api/v1/logs", "{\"message\":\"m\"}", "Cookie", cookie, "X-Logd-Request", "1").statusCode());

    HttpResponse<String> out = send("DELETE", "/api/v1/session", null, "Cookie", cookie, "X-Logd-Request", "1");
    assertEquals(204, out.statusCode());
    assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
    assertEquals(401, send("GET", "/api/v1/logs", null, "Cookie", cookie).statusCode(), "the session ended server-side");
  }

  @Test
  void revokingTheKeyEndsItsSessions() throws Exception {
    HttpResponse<String> k = send("POST", "/api/v1/keys", "{\"role\":\"read\",\"name\":\"viewer\"}", "X-API-Key", ADMIN);
    JsonNode key = HttpResponses.JSON.readTree(k.body());
    String cookie = signIn(key.path("key").asText());
    assertEquals(200, send("GET", "/api/v1/logs", null, "Cookie", cookie).statusCode());
    assertEquals(403, send("GET", "/api/v1/keys", null, "Cookie", cookie).statusCode(), "a read key's session is read-only");
    assertEquals(200, send("DELETE", "/api/v1/keys/" + key.path("id").asText(), null, "X-API-Key", ADMIN).statusCode());
    assertEquals(401, send("GET", "/api/v1/logs", null, "Cookie", cookie).statusCode());
    assertEquals(401, send("GET", "/api/v1/session", null, "Cookie", cookie).statusCode());
  }

  @Test
  void staticFilesAreServedWithAStrictPolicyAndNothingElse() throws Exception {
    HttpResponse<String> uplot = send("GET", "/vendor/uplot/uPlot.esm.js", null);
    assertEquals(200, uplot.statusCode());
    assertTrue(uplot.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
    assertTrue(uplot.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self'"));
    assertTrue(uplot.body().contains("uPlot"));
    assertEquals(200, send("GET", "/vendor/uplot/uPlot.min.css", null).statusCode());
    assertEquals(404, send("GET", "/vendor/uplot/../../../../META-INF/MANIFEST.MF", null).statusCode());
    assertEquals(404, send("GET", "/assets/../logd.yaml", null).statusCode());
    assertEquals(404, send("GET", "/assets/nope.js", null).statusCode());
    assertEquals(404, send("GET", "/vendor/uplot/README.md", null).statusCode(), "only known file types");
    assertEquals(405, send("POST", "/assets/app.js", "x").statusCode());
  }
}
