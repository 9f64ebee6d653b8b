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
import java.time.Duration;
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

  /**
   * A reader that stops reading its stream: its connection fills, the server's stream thread for it
   * waits, and the events it cannot take are dropped and counted for it alone. Every batch is still
   * acked and stored, and a reader that keeps up gets every event it asked for.
   */
  @Test
  void aReaderThatStopsReadingMissesEventsWhileIngestAndOtherReadersGoOn() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try (TestServer t = TestServer.start(dir, KEY);
        java.net.Socket stalled = new java.net.Socket()) {
      Logd logd = t.logd;
      stalled.setReceiveBufferSize(4096); // a small window, so the server's side fills sooner
      stalled.setSoTimeout(30_000);
      stalled.connect(new java.net.InetSocketAddress("127.0.0.1", t.port()), 10_000);
      stalled.getOutputStream().write(("GET /api/v1/logs/tail HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      stalled.getOutputStream().flush();
      BufferedReader stalledLines = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("HTTP/1.1 200 OK", stalledLines.readLine());

      HttpResponse<InputStream> errors = http.send(HttpRequest.newBuilder(URI.create(t.url("/api/v1/logs/tail?q=level:error")))
          .header("X-API-Key", KEY).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, errors.statusCode());
      java.util.concurrent.LinkedBlockingQueue<String> errorData = new java.util.concurrent.LinkedBlockingQueue<>();
      Thread fastReader = Thread.ofPlatform().daemon().start(() -> {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(errors.body(), StandardCharsets.UTF_8))) {
          for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith("data: ")) {
              errorData.add(line);
            }
          }
        } catch (java.io.IOException closed) {
          // the test closed the stream
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (logd.tail().subscriberCount() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(2, logd.tail().subscriberCount());

      // 40,000 events of about 500 bytes as SSE: far more than the stalled reader's buffer of
      // HttpApi.TAIL_BUFFER events and the sockets' buffers together; one error per batch
      String padding = "x".repeat(300);
      int batches = 40;
      for (int b = 0; b < batches; b++) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
          body.append("{\"message\":\"batch ").append(b).append(" line ").append(i).append(' ').append(padding)
              .append("\",\"level\":\"").append(i == 500 ? "error" : "info").append("\"}\n");
        }
        HttpResponse<String> ack = http.send(HttpRequest.newBuilder(URI.create(t.url("/api/v1/logs/bulk")))
            .header("X-API-Key", KEY).header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ack.statusCode(), ack.body());
      }
      assertEquals(batches * 1000L, logd.store().count(Logd.DEFAULT_TENANT, 0, Long.MAX_VALUE), "every batch stored");

      for (int b = 0; b < batches; b++) {
        String data = errorData.poll(30, TimeUnit.SECONDS);
        assertTrue(data != null && data.contains("\"batch " + b + " line 500 "), b + ": " + data);
      }

      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (ConcurrencyIT.metric(t.server, "logd_tail_dropped_events_total") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(2, ConcurrencyIT.metric(t.server, "logd_tail_subscribers"));

      // reading again, the stalled reader gets what was kept for it and then the count it missed
      long dataLines = 0;
      long droppedSaid = -1;
      for (String line; droppedSaid < 0 && (line = stalledLines.readLine()) != null; ) {
        if (line.startsWith("data: ")) {
          dataLines++;
        } else if (line.startsWith(": dropped ")) {
          droppedSaid = Long.parseLong(line.split(" ")[2]);
        }
      }
      long droppedTotal = ConcurrencyIT.metric(t.server, "logd_tail_dropped_events_total"); // the dispatcher may still be at work
      assertTrue(droppedSaid > 0 && droppedSaid <= droppedTotal, droppedSaid + " of " + droppedTotal);
      assertTrue(dataLines > 0 && dataLines + droppedSaid <= batches * 1000L, dataLines + " delivered");
      errors.body().close();
      fastReader.join(10_000);
    }
  }
}
