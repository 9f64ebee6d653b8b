package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.config.ConfigLoader;
import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients at once, as a fleet of shippers would be: 1,000 keep-alive connections open
 * together, each posting several NDJSON batches in turn. Zero errors, and every acked event is
 * stored exactly once. Also a body near the size limit, gzip-compressed, and one over it.
 */
class ConcurrencyIT {
  static final String KEY = "conc-admin-key-0123456789";
  static final int CONNECTIONS = 1000;
  static final int REQUESTS_PER_CONNECTION = 5;
  static final int EVENTS_PER_REQUEST = 10;

  @TempDir Path dir;

  private LogdConfig config(String maxBody) {
    return config(maxBody, "0");
  }

  private LogdConfig config(String maxBody, String maxInflight) {
    return ConfigLoader.load(null, Map.of("LOGD_ADMIN_KEY", KEY), Map.of(
        "data_dir", dir.toString(), "http.port", "0", "http.bind", "127.0.0.1", "http.max_body_bytes", maxBody,
        "http.max_inflight_body_bytes", maxInflight, "storage.min_free_disk", "0", "storage.rocksdb.block_cache", "8MiB"));
  }

  static byte[] ndjson(String tag, int events, int pad) {
    StringBuilder body = new StringBuilder();
    String filler = "p".repeat(pad);
    for (int e = 0; e < events; e++) {
      body.append("{\"message\":\"").append(tag).append(' ').append(e).append(' ').append(filler).append("\"}\n");
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] head(int contentLength) {
    return ("POST /api/v1/logs/bulk HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
        + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + contentLength + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  static long metric(LogdServer server, String name) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String response = readResponse(new BufferedInputStream(s.getInputStream()));
      return response.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> Long.parseLong(l.substring(name.length() + 1)))
          .findFirst().orElseThrow(() -> new AssertionError(name + " not in /metrics"));
    }
  }

  @Test
  void bodiesPastTheMemoryBudgetWaitUnreadAndAllGetThrough() throws Exception {
    // a 1 MiB budget: two of these 400 kB bodies at a time, while 30 connections post two each
    LogdConfig cfg = config("1MiB", "1MiB");
    try (Logd logd = Logd.builder().config(cfg).open()) {
      LogdServer server = LogdServer.start(logd, cfg.http());
      try {
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong acked = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 30; c++) {
          int client = c;
          clients.add(Thread.ofVirtual().start(() -> {
            try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
              s.setSoTimeout(120_000);
              InputStream in = new BufferedInputStream(s.getInputStream());
              for (int r = 0; r < 2; r++) {
                byte[] body = ndjson("c" + client + "r" + r, 400, 990);
                s.getOutputStream().write(head(body.length));
                s.getOutputStream().write(body);
                String response = readResponse(in);
                if (response.startsWith("HTTP/1.1 200") && response.contains("\"accepted\":400")) {
                  acked.addAndGet(400);
                } else {
                  errors.add(response.lines().findFirst().orElse(response));
                }
              }
            } catch (Exception e) {
              errors.add(e.toString());
            }
          }));
        }
        for (Thread t : clients) {
          t.join();
        }
        assertEquals(List.of(), List.copyOf(errors), errors.size() + " errors");
        assertEquals(30 * 2 * 400, acked.get());
        assertEquals(30 * 2 * 400, logd.store().count(Logd.DEFAULT_TENANT, 0, Long.MAX_VALUE));
        assertTrue(metric(server, "logd_http_body_waits_total") > 0, "some bodies waited");
        assertEquals(0, metric(server, "logd_http_body_bytes_reserved"), "every reservation given back");
      } finally {
        server.close();
      }
    }
  }

  @Test
  void aConnectionClosedWhileItsBodyWaitsGivesNothingBackTwice() throws Exception {
    LogdConfig cfg = config("1MiB", "1MiB");
    try (Logd logd = Logd.builder().config(cfg).open()) {
      LogdServer server = LogdServer.start(logd, cfg.http());
      try (Socket holder = new Socket("127.0.0.1", server.httpPort())) {
        holder.setSoTimeout(60_000);
        // the holder's body is admitted and half sent: it keeps 700 kB reserved
        byte[] held = ndjson("held", 700, 990);
        holder.getOutputStream().write(head(held.length));
        holder.getOutputStream().write(held, 0, held.length / 2);
        holder.getOutputStream().flush();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (metric(server, "logd_http_body_bytes_reserved") != held.length && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertEquals(held.length, metric(server, "logd_http_body_bytes_reserved"));
        // another 400 kB body does not fit beside it: it waits, and its client gives up
        try (Socket waiter = new Socket("127.0.0.1", server.httpPort())) {
          byte[] body = ndjson("gave-up", 400, 990);
          Thread.ofVirtual().start(() -> {
            try {
              waiter.getOutputStream().write(head(body.length));
              waiter.getOutputStream().write(body); // blocks once the socket buffers fill: nobody reads
            } catch (IOException closed) {
              // the client gives up below
            }
          });
          while (metric(server, "logd_http_body_waits_total") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          assertEquals(1, metric(server, "logd_http_body_waits_total"));
        }
        holder.getOutputStream().write(held, held.length / 2, held.length - held.length / 2);
        String response = readResponse(new BufferedInputStream(holder.getInputStream()));
        assertTrue(response.startsWith("HTTP/1.1 200") && response.contains("\"accepted\":700"), response);
        while (metric(server, "logd_http_body_bytes_reserved") != 0 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertEquals(0, metric(server, "logd_http_body_bytes_reserved"));
        // and the budget is whole again for the next client
        try (Socket next = new Socket("127.0.0.1", server.httpPort())) {
          next.setSoTimeout(60_000);
          byte[] body = ndjson("next", 900, 990);
          next.getOutputStream().write(head(body.length));
          next.getOutputStream().write(body);
          assertTrue(readResponse(new BufferedInputStream(next.getInputStream())).startsWith("HTTP/1.1 200"));
        }
        assertEquals(700 + 900, logd.store().count(Logd.DEFAULT_TENANT, 0, Long.MAX_VALUE), "nothing of the closed one");
      } finally {
        server.close();
      }
    }
  }

  @Test
  void aThousandKeepAliveConnectionsPostingAtOnce() throws Exception {
    LogdConfig cfg = config("100MiB");
    try (Logd logd = Logd.builder().config(cfg).open()) {
      LogdServer server = LogdServer.start(logd, cfg.http());
      try {
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong acked = new AtomicLong();
        CountDownLatch allConnected = new CountDownLatch(CONNECTIONS);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
          int client = c;
          clients.add(Thread.ofVirtual().start(() -> {
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 30_000);
              s.setSoTimeout(120_000);
              allConnected.countDown();
              allConnected.await(); // every connection is open before the first request
              OutputStream out = s.getOutputStream();
              InputStream in = new BufferedInputStream(s.getInputStream());
              for (int r = 0; r < REQUESTS_PER_CONNECTION; r++) {
                StringBuilder body = new StringBuilder();
                for (int e = 0; e < EVENTS_PER_REQUEST; e++) {
                  body.append("{\"message\":\"fleet\",\"c\":").append(client).append(",\"r\":").append(r)
                      .append(",\"e\":").append(e).append("}\n");
                }
                byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
                out.write(("POST /api/v1/logs/bulk HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
                    + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
                String response = readResponse(in);
                if (!response.startsWith("HTTP/1.1 200") || !response.contains("\"accepted\":" + EVENTS_PER_REQUEST)) {
                  errors.add(response.lines().findFirst().orElse(response));
                } else {
                  acked.addAndGet(EVENTS_PER_REQUEST);
                }
              }
            } catch (Exception e) {
              errors.add(e.toString());
              allConnected.countDown();
            }
          }));
        }
        for (Thread t : clients) {
          t.join();
        }
        assertEquals(List.of(), List.copyOf(errors).subList(0, Math.min(5, errors.size())), errors.size() + " errors");
        long expected = (long) CONNECTIONS * REQUESTS_PER_CONNECTION * EVENTS_PER_REQUEST;
        assertEquals(expected, acked.get());
        assertEquals(expected, logd.store().count(Logd.DEFAULT_TENANT, 0, Long.MAX_VALUE), "every acked event stored once");
      } finally {
        server.close();
      }
    }
  }

  @Test
  void aLargeGzipBodyIsAcceptedAndOneOverTheLimitIs413() throws Exception {
    LogdConfig cfg = config("110MB");
    try (Logd logd = Logd.builder().config(cfg).open()) {
      LogdServer server = LogdServer.start(logd, cfg.http());
      try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
        s.setSoTimeout(300_000);
        // About 100 MB of NDJSON, sent gzip-compressed.
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        long raw = 0;
        int lines = 0;
        try (GZIPOutputStream z = new GZIPOutputStream(gz, 1 << 16)) {
          String pad = "x".repeat(900);
          while (raw < 100_000_000L) {
            byte[] line = String.format(Locale.ROOT, "{\"message\":\"big %d %s\"}\n", lines++, pad)
                .getBytes(StandardCharsets.UTF_8);
            z.write(line);
            raw += line.length;
          }
        }
        OutputStream out = s.getOutputStream();
        InputStream in = new BufferedInputStream(s.getInputStream());
        out.write(("POST /api/v1/logs/bulk HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY + "\r\nContent-Encoding: gzip\r\n"
            + "Content-Length: " + gz.size() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        gz.writeTo(out);
        out.flush();
        String response = readResponse(in);
        assertTrue(response.startsWith("HTTP/1.1 200"), response.lines().findFirst().orElse(""));
        assertTrue(response.contains("\"accepted\":" + lines), response.substring(response.indexOf("\r\n\r\n")));
        // reserved as sent, grown to about 100 MB as it inflated, all given back with the answer
        assertEquals(0, metric(server, "logd_http_body_bytes_reserved"));
      }
      try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
        s.setSoTimeout(60_000);
        long tooBig = 111_000_000L;
        s.getOutputStream().write(("POST /api/v1/logs/bulk HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
            + "\r\nContent-Length: " + tooBig + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        String response = readResponse(new BufferedInputStream(s.getInputStream()));
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        assertTrue(response.contains("body_too_large"), response);
      } finally {
        server.close();
      }
    }
  }

  /** Reads one HTTP/1.1 response with a Content-Length body. */
  static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the response head: " + head);
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
    String headers = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return headers + new String(body, StandardCharsets.UTF_8);
  }
}
