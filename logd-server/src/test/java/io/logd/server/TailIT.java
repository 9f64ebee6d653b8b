package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.engine.Logd;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live tail over Server-Sent Events, read with java.net.http while events are posted. */
class TailIT {
  static final String KEY = "tail-admin-key-0123456789";

  @TempDir Path dir;

  @Test
  void aNewMatchingEventArrivesAsAnSseDataLine() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (TestServer t = TestServer.start(dir, KEY)) {
      Logd logd = t.logd;
      LogdServer server = t.server;
      String base = "http://127.0.0.1:" + server.httpPort();
      HttpRequest tail = HttpRequest.newBuilder(URI.create(base + "/api/v1/logs/tail?q="
          + URLEncoder.encode("level:error", StandardCharsets.UTF_8))).header("X-API-Key", KEY)
          .header("Accept-Encoding", "gzip").build(); // events must still flow uncompressed
      HttpResponse<InputStream> stream = http.send(tail, HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, stream.statusCode());
      assertTrue(stream.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
      BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
      assertTrue(lines.readLine().startsWith(": logd live tail"), "the stream opens at once");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (logd.tail().subscriberCount() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      for (String level : new String[] {"info", "error"}) {
        HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/api/v1/logs"))
            .header("X-API-Key", KEY)
            .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"tailed " + level + "\",\"level\":\"" + level + "\"}"))
            .build();
        assertEquals(200, http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      String line;
      String data = null;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("data: ")) {
          data = line.substring(6);
          break;
        }
      }
      assertTrue(data != null && data.contains("\"message\":\"tailed error\""), String.valueOf(data));
      stream.body().close();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (logd.tail().subscriberCount() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, logd.tail().subscriberCount(), "a closed stream unsubscribes");
    }
  }

  @Test
  void theSameStreamOverWebSocket() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (TestServer t = TestServer.start(dir, KEY)) {
      Logd logd = t.logd;
      LogdServer server = t.server;
      java.util.concurrent.LinkedBlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();
      java.net.http.WebSocket ws = http.newWebSocketBuilder().header("X-API-Key", KEY)
          .buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort() + "/api/v1/logs/stream?q="
              + URLEncoder.encode("service:api", StandardCharsets.UTF_8)), new java.net.http.WebSocket.Listener() {
                @Override
                public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                  frames.add(data.toString());
                  w.request(1);
                  return null;
                }
              }).get(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (logd.tail().subscriberCount() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      for (String service : new String[] {"db", "api"}) {
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/logs"))
            .header("X-API-Key", KEY)
            .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"ws " + service + "\",\"service\":\"" + service + "\"}"))
            .build();
        assertEquals(200, http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      String frame = frames.poll(10, TimeUnit.SECONDS);
      assertTrue(frame != null && frame.contains("\"message\":\"ws api\""), String.valueOf(frame));
      ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);

      // Without a key, the upgrade is refused.
      java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
          java.util.concurrent.ExecutionException.class,
          () -> http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort()
              + "/api/v1/logs/stream"), new java.net.http.WebSocket.Listener() {}).get(10, TimeUnit.SECONDS));
      assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException h
          && h.getResponse().statusCode() == 401, String.valueOf(refused.getCause()));
    }
  }
}
