package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.logd.config.ConfigLoader;
import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP listener on port 0 over a real engine: /health, errors, limits, keep-alive, order. */
class HealthIT {
  static final String ADMIN = "health-admin-key-0123456789";

  @TempDir Path dir;

  private Logd logd;
  private LogdServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private void start(Map<String, String> extra) throws IOException {
    Map<String, String> overrides = new HashMap<>(Map.of(
        "data_dir", dir.toString(),
        "http.port", "0",
        "http.bind", "127.0.0.1",
        "storage.min_free_disk", "0",
        "storage.rocksdb.block_cache", "8MiB"));
    overrides.putAll(extra);
    LogdConfig cfg = ConfigLoader.load(null, Map.of("LOGD_ADMIN_KEY", ADMIN), overrides);
    logd = Logd.builder().config(cfg).open();
    server = LogdServer.start(logd, cfg.http());
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
      server.close(); // idempotent
    }
    if (logd != null) {
      logd.close();
    }
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.BodyPublisher publisher =
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .method(method, publisher)
        .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"),
        response.headers().toString());
    return HttpResponses.JSON.readTree(response.body());
  }

  private static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode error = json(response).path("error");
    assertEquals(code, error.path("code").asText(), response.body());
    assertTrue(error.path("message").isTextual() && !error.path("message").asText().isEmpty(), response.body());
  }

  @Test
  void healthIsOkOnAFreshStore() throws Exception {
    start(Map.of());
    assertNotEquals(0, server.httpPort());
    assertEquals(server.httpPort(), server.httpAddress().getPort());
    HttpResponse<String> r = send("GET", "/health", null);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals("ok", body.path("status").asText());
    assertEquals("ok", body.path("store").asText());
    assertEquals("ok", body.path("index").asText());
    assertTrue(body.path("disk_free_bytes").asLong() > 0, r.body());
    // Query strings do not change the route.
    assertEquals(200, send("GET", "/health?verbose=1", null).statusCode());
  }

  @Test
  void headAnswersHeadersOnly() throws Exception {
    start(Map.of());
    HttpResponse<String> r = send("HEAD", "/health", null);
    assertEquals(200, r.statusCode());
    assertEquals("", r.body());
  }

  @Test
  void healthIsDegradedWhenTheDiskIsLow() throws Exception {
    start(Map.of("storage.min_free_disk", "1000000TiB"));
    HttpResponse<String> r = send("GET", "/health", null);
    assertEquals(503, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertEquals("degraded", body.path("status").asText());
    assertEquals("ok", body.path("store").asText());
    assertTrue(body.path("disk_low").asBoolean(), r.body());
    // Ingest is refused before its body is parsed: even malformed JSON gets the 503, not a 400.
    HttpResponse<String> ingest = send("POST", "/api/v1/logs/bulk", "{\"message\":\"kept out\"}\n{not json", "X-API-Key", ADMIN);
    assertError(ingest, 503, "disk_full");
    assertEquals("30", ingest.headers().firstValue("retry-after").orElse(""), ingest.body());
    HttpResponse<String> bulk = send("POST", "/_bulk", "{\"index\":{}}\n{\"message\":\"kept out\"}\n", "X-API-Key", ADMIN,
        "Content-Type", "application/x-ndjson");
    assertEquals(429, bulk.statusCode(), bulk.body());
    assertTrue(bulk.body().contains("es_rejected_execution_exception"), bulk.body());
  }

  @Test
  void unknownPathsAreJson404() throws Exception {
    start(Map.of());
    assertError(send("GET", "/nope", null), 404, "not_found");
    HttpResponse<String> dashboard = send("GET", "/", null);
    assertEquals(200, dashboard.statusCode(), "/ is the dashboard");
    assertTrue(dashboard.headers().firstValue("content-type").orElse("").startsWith("text/html"));
    assertError(send("DELETE", "/api/v1/nope", null), 404, "not_found");
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    start(Map.of());
    HttpResponse<String> r = send("POST", "/health", "{}");
    assertError(r, 405, "method_not_allowed");
    assertEquals("GET, HEAD", r.headers().firstValue("allow").orElse(""));
  }

  @Test
  void oversizedBodyIsJson413AndTheConnectionStaysUsable() throws Exception {
    start(Map.of("http.max_body_bytes", "1KiB"));
    assertError(send("POST", "/health", "x".repeat(4096)), 413, "body_too_large");
    // Chunked (no Content-Length): refused while aggregating.
    HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/health"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(new byte[8192])))
        .timeout(Duration.ofSeconds(10))
        .build();
    assertError(http.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "body_too_large");
    assertEquals(200, send("GET", "/health", null).statusCode());

    // Raw: a keep-alive request with a too-large Content-Length is answered and the connection
    // then serves the next request.
    try (Socket s = connect()) {
      String big = "y".repeat(2048);
      write(s, "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: " + big.length() + "\r\n\r\n" + big
          + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      String responses = readUntil(s, 2);
      assertTrue(responses.startsWith("HTTP/1.1 413"), responses);
      assertTrue(responses.contains("\"body_too_large\""), responses);
      assertTrue(responses.indexOf("HTTP/1.1 200") > 0, responses);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    start(Map.of());
    try (Socket s = connect()) {
      // /health is answered off the event loop, /nope at once: the order must still hold.
      StringBuilder requests = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        requests.append("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        requests.append("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
      }
      write(s, requests.toString());
      String responses = readUntil(s, 20);
      String[] statuses = java.util.regex.Pattern.compile("HTTP/1\\.1 \\d{3}").matcher(responses)
          .results().map(java.util.regex.MatchResult::group).toArray(String[]::new);
      assertEquals(20, statuses.length, responses);
      for (int i = 0; i < 20; i++) {
        assertTrue(statuses[i].startsWith(i % 2 == 0 ? "HTTP/1.1 200" : "HTTP/1.1 404"), responses);
      }
    }
  }

  @Test
  void connectionCloseIsHonoured() throws Exception {
    start(Map.of());
    try (Socket s = connect()) {
      write(s, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String response = readToEnd(s);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.toLowerCase().contains("connection: close"), response);
    }
    try (Socket s = connect()) {
      write(s, "GET /health HTTP/1.0\r\n\r\n");
      String response = readToEnd(s); // HTTP/1.0 without keep-alive: closed after the answer
      assertTrue(response.contains(" 200 "), response);
    }
  }

  @Test
  void malformedRequestIs400() throws Exception {
    start(Map.of());
    try (Socket s = connect()) {
      write(s, "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n");
      String response = readToEnd(s);
      assertTrue(response.startsWith("HTTP/1.1 400"), response);
      assertTrue(response.contains("\"bad_request\""), response);
    }
  }

  @Test
  void aPortInUseIsAClearError() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      LogdConfig cfg = ConfigLoader.load(null, Map.of(), Map.of(
          "data_dir", dir.toString(), "http.bind", "127.0.0.1",
          "http.port", Integer.toString(taken.getLocalPort()), "storage.min_free_disk", "0"));
      logd = Logd.builder().config(cfg).open();
      IOException e = assertThrows(IOException.class, () -> LogdServer.start(logd, cfg.http()));
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
    }
  }

  // ---------------------------------------------------------------- raw HTTP

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", server.httpPort());
    s.setSoTimeout(10_000);
    return s;
  }

  private static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads until {@code count} complete responses (each with a Content-Length body) have arrived. */
  private static String readUntil(Socket s, int count) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    while (completeResponses(buf.toString(StandardCharsets.ISO_8859_1)) < count) {
      int n = in.read(chunk);
      if (n < 0) {
        break;
      }
      buf.write(chunk, 0, n);
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  private static int completeResponses(String text) {
    int count = 0;
    int at = 0;
    while (true) {
      int headersEnd = text.indexOf("\r\n\r\n", at);
      if (headersEnd < 0) {
        return count;
      }
      String headers = text.substring(at, headersEnd).toLowerCase();
      int cl = headers.indexOf("content-length: ");
      int length = cl < 0 ? 0 : Integer.parseInt(headers.substring(cl + 16).lines().findFirst().orElse("0").trim());
      int end = headersEnd + 4 + length;
      if (end > text.length()) {
        return count;
      }
      count++;
      at = end;
    }
  }

  private static String readToEnd(Socket s) throws IOException {
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
