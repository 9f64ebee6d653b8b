package io.logd.server;

import static io.logd.server.ConcurrencyIT.KEY;
import static io.logd.server.ConcurrencyIT.ndjson;
import static io.logd.server.ConcurrencyIT.readResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.config.ConfigLoader;
import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest requests that their head decides are answered before their body is read: a missing or
 * unknown key, a key without the ingest role, a pipeline refusing batches. Their bodies take no
 * body memory, the answers keep request order, and the connection goes on (or closes, after an
 * {@code Expect: 100-continue} that never got its 100).
 */
class HeadCheckIT {
  @TempDir Path dir;

  private LogdConfig config(String minFreeDisk) {
    return ConfigLoader.load(null, Map.of("LOGD_ADMIN_KEY", KEY), Map.of(
        "data_dir", dir.toString(), "http.port", "0", "http.bind", "127.0.0.1", "http.max_body_bytes", "8MiB",
        "http.max_inflight_body_bytes", "8MiB", "storage.min_free_disk", minFreeDisk,
        "storage.rocksdb.block_cache", "8MiB"));
  }

  private static byte[] head(String path, String key, int contentLength, String... extra) {
    return head("POST", path, key, contentLength, extra);
  }

  private static byte[] head(String method, String path, String key, int contentLength, String... extra) {
    StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: x\r\n");
    if (key != null) {
      sb.append("X-API-Key: ").append(key).append("\r\n");
    }
    for (String h : extra) {
      sb.append(h).append("\r\n");
    }
    sb.append("Content-Type: application/x-ndjson\r\nContent-Length: ").append(contentLength).append("\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** A raw connection that fails a test waiting over 10 s for an answer. */
  private static Socket connect(LogdServer server) throws java.io.IOException {
    Socket s = new Socket("127.0.0.1", server.httpPort());
    s.setSoTimeout(10_000);
    return s;
  }

  private static String status(String response) {
    return response.substring(9, 12);
  }

  @Test
  void aBatchWithABadKeyIsAnsweredFromItsHeadWhileAnotherBodyHoldsTheMemory() throws Exception {
    LogdConfig cfg = config("0");
    try (Logd logd = Logd.builder().config(cfg).open()) {
      LogdServer server = LogdServer.start(logd, cfg.http());
      try (Socket holder = new Socket("127.0.0.1", server.httpPort());
          Socket client = connect(server)) {
        // 6 of the 8 MiB budget, reserved by a valid request whose body has not come yet
        byte[] held = ndjson("held", 6000, 1000);
        holder.getOutputStream().write(head("/api/v1/logs/bulk", KEY, held.length));
        holder.getOutputStream().flush();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ConcurrencyIT.metric(server, "logd_http_body_bytes_reserved") < held.length) {
          assertTrue(System.nanoTime() < deadline, "the held body is reserved");
          Thread.sleep(10);
        }
        OutputStream out = client.getOutputStream();
        InputStream in = new BufferedInputStream(client.getInputStream());
        byte[] big = ndjson("refused", 6000, 1000);
        // Answered before the body is sent: a body that had to reserve memory would wait for the holder.
        out.write(head("/api/v1/logs/bulk", "not-a-key", big.length));
        out.flush();
        String unknown = readResponse(in);
        assertEquals("401", status(unknown), unknown);
        assertTrue(unknown.contains("\"unauthorized\""), unknown);
        // The body is then read and dropped, and the connection serves the next requests in order.
        out.write(big);
        out.write(head("/_bulk", null, big.length));
        out.write(big);
        byte[] good = ndjson("kept", 3, 10);
        out.write(head("/api/v1/logs/bulk", KEY, good.length));
        out.write(good);
        out.flush();
        String bulk = readResponse(in);
        assertEquals("401", status(bulk), bulk);
        assertTrue(bulk.toLowerCase(java.util.Locale.ROOT).contains("x-elastic-product: elasticsearch"), bulk);
        String ok = readResponse(in);
        assertEquals("200", status(ok), ok);

        assertEquals(0, ConcurrencyIT.metric(server, "logd_http_body_waits_total"), "no answered body waited");
        holder.getOutputStream().write(held);
        holder.getOutputStream().flush();
        holder.setSoTimeout(30_000);
        String heldAnswer = readResponse(new BufferedInputStream(holder.getInputStream()));
        assertEquals("200", status(heldAnswer), heldAnswer);
      } finally {
        server.close();
      }
      assertEquals(6003, logd.store().count(Logd.DEFAULT_TENANT, 0, Long.MAX_VALUE),
          "the held batch and the good one are stored, nothing of the refused ones");
    }
  }

  @Test
  void otherApiRequestsWithABadKeyAreAnsweredFromTheHeadAndSignInReadsItsBody() throws Exception {
    LogdConfig cfg = config("0");
    try (Logd logd = Logd.builder().config(cfg).open()) {
      LogdServer server = LogdServer.start(logd, cfg.http());
      try (Socket client = connect(server)) {
        OutputStream out = client.getOutputStream();
        InputStream in = new BufferedInputStream(client.getInputStream());
        byte[] body = "{\"name\":\"acme\"}".getBytes(StandardCharsets.UTF_8);
        for (String path : new String[] {"/api/v1/tenants", "/api/v1/keys", "/api/v1/admin/reindex", "/api/v1/nope"}) {
          out.write(head(path, "not-a-key", body.length));
          out.flush();
          String answer = readResponse(in); // before the body is sent
          assertEquals("401", status(answer), path + ": " + answer);
          out.write(body);
        }
        // a valid key's body is read and handled as before
        out.write(head("/api/v1/tenants", KEY, body.length));
        out.write(body);
        out.flush();
        String created = readResponse(in);
        assertTrue(status(created).startsWith("2"), created);
        // sign-in carries its key in the body, so its body is always read
        byte[] signIn = "{\"key\":\"not-a-key\"}".getBytes(StandardCharsets.UTF_8);
        out.write(head("/api/v1/session", null, signIn.length));
        out.write(signIn);
        out.flush();
        String session = readResponse(in);
        assertEquals("401", status(session), session);
      } finally {
        server.close();
      }
    }
  }

  @Test
  void aKeyWithoutTheRoleIsRefusedFromTheHead() throws Exception {
    LogdConfig cfg = config("0");
    try (Logd logd = Logd.builder().config(cfg).open()) {
      String reader = logd.keys().createKey(io.logd.tenant.KeyStore.DEFAULT_TENANT, io.logd.tenant.Role.READ, "reader")
          .secret();
      String ingester = logd.keys().createKey(io.logd.tenant.KeyStore.DEFAULT_TENANT, io.logd.tenant.Role.INGEST,
          "shipper").secret();
      LogdServer server = LogdServer.start(logd, cfg.http());
      try (Socket client = connect(server)) {
        client.getOutputStream().write(head("/ingest", reader, 1000));
        client.getOutputStream().flush();
        InputStream in = new BufferedInputStream(client.getInputStream());
        String answer = readResponse(in);
        assertEquals("403", status(answer), answer);
        client.getOutputStream().write(new byte[1000]);
        // an admin-only route: the role is checked from the head too
        for (String path : new String[] {"/api/v1/tenants", "/api/v1/keys", "/api/v1/admin/backup"}) {
          client.getOutputStream().write(head(path, reader, 1000));
          client.getOutputStream().flush();
          String admin = readResponse(in);
          assertEquals("403", status(admin), path + ": " + admin);
          client.getOutputStream().write(new byte[1000]);
        }
        client.getOutputStream().write(head("DELETE", "/api/v1/logs?before=2020-01-01T00:00:00Z", reader, 1000));
        client.getOutputStream().flush();
        String delete = readResponse(in);
        assertEquals("403", status(delete), delete);
        client.getOutputStream().write(new byte[1000]);
        // a read route: an ingest key learns from the head that it cannot search
        client.getOutputStream().write(head("GET", "/api/v1/logs?q=x", ingester, 1000));
        client.getOutputStream().flush();
        String search = readResponse(in);
        assertEquals("403", status(search), search);
        assertTrue(search.contains("needs the read role"), search);
        client.getOutputStream().write(new byte[1000]);
        // a method a route does not serve: the whole request is read and answered 405, the same
        // answer it gets without a body, whatever the key's role
        for (String path : new String[] {"/api/v1/logs/hits", "/api/v1/keys"}) {
          client.getOutputStream().write(head("PUT", path, reader, 1000));
          client.getOutputStream().flush();
          client.getOutputStream().write(new byte[1000]);
          client.getOutputStream().flush();
          String notAllowed = readResponse(in);
          assertEquals("405", status(notAllowed), path + ": " + notAllowed);
        }
      } finally {
        server.close();
      }
    }
  }

  @Test
  void expectContinueWithoutAKeyGetsTheAnswerInsteadOfContinueAndTheConnectionCloses() throws Exception {
    LogdConfig cfg = config("0");
    try (Logd logd = Logd.builder().config(cfg).open()) {
      LogdServer server = LogdServer.start(logd, cfg.http());
      try (Socket client = connect(server)) {
        client.getOutputStream().write(head("/api/v1/logs", null, 5_000_000, "Expect: 100-continue"));
        client.getOutputStream().flush();
        InputStream in = new BufferedInputStream(client.getInputStream());
        String answer = readResponse(in);
        assertEquals("401", status(answer), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
        assertEquals(-1, in.read(), "the connection closes after the answer");
      } finally {
        server.close();
      }
    }
  }

  @Test
  void aRefusedBatchIsAnsweredBeforeItsBody() throws Exception {
    LogdConfig cfg = config("1000000TiB"); // the disk is always low: every batch is refused
    try (Logd logd = Logd.builder().config(cfg).open()) {
      LogdServer server = LogdServer.start(logd, cfg.http());
      try (Socket client = connect(server)) {
        OutputStream out = client.getOutputStream();
        InputStream in = new BufferedInputStream(client.getInputStream());
        byte[] body = ndjson("late", 1000, 100);
        out.write(head("/api/v1/logs/bulk", KEY, body.length));
        out.flush();
        String refused = readResponse(in);
        assertEquals("503", status(refused), refused);
        assertTrue(refused.contains("\"disk_full\""), refused);
        assertTrue(refused.toLowerCase(java.util.Locale.ROOT).contains("retry-after: 30"), refused);
        out.write(body);
        out.write(head("/_bulk", KEY, body.length));
        out.flush();
        String bulk = readResponse(in);
        assertEquals("429", status(bulk), bulk);
        assertTrue(bulk.contains("es_rejected_execution_exception"), bulk);
        out.write(body);
        // a request without a body is not checked early, and the connection still works
        out.write(("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String health = readResponse(in);
        assertEquals("503", status(health), health);
        assertTrue(health.contains("\"degraded\""), health);
      }
      try (Socket client = connect(server)) {
        // over the size limit: 413 (never retry this body) before the 503 and before the key
        client.getOutputStream().write(head("/api/v1/logs/bulk", "not-a-key", 9 << 20));
        client.getOutputStream().flush();
        String tooLarge = readResponse(new BufferedInputStream(client.getInputStream()));
        assertEquals("413", status(tooLarge), tooLarge);
        assertTrue(tooLarge.contains("body_too_large"), tooLarge);
      } finally {
        server.close();
      }
    }
  }
}
