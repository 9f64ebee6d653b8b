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
    return ConfigLoader.load(null, Map.of("LOGD_ADMIN_KEY", KEY), Map.of(
        "data_dir", dir.toString(), "http.port", "0", "http.bind", "127.0.0.1", "http.max_body_bytes", maxBody,
        "storage.min_free_disk", "0", "storage.rocksdb.block_cache", "8MiB"));
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
