package io.logd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.config.ConfigLoader;
import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.event.FieldValue;
import io.logd.event.StoredEvent;
import io.logd.query.Searcher;
import io.logd.query.TimeRange;
import io.logd.server.LogdServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logd ingest} against a real server on a free port, run in-process through {@link Main}. */
class IngestIT {
  private static final String ADMIN = "logd_ingest_it_admin_key_0123456789";

  @TempDir Path dir;
  Logd logd;
  LogdServer server;

  void start(Map<String, String> extra) throws Exception {
    Map<String, String> o = new HashMap<>(Map.of(
        "data_dir", dir.resolve("data").toString(), "http.port", "0", "http.bind", "127.0.0.1",
        "storage.min_free_disk", "0", "storage.rocksdb.block_cache", "8MiB"));
    o.putAll(extra);
    LogdConfig cfg = ConfigLoader.load(null, Map.of("LOGD_ADMIN_KEY", ADMIN), o);
    logd = Logd.builder().config(cfg).open();
    server = LogdServer.start(logd, cfg.http());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (logd != null) {
      logd.close();
    }
  }

  private MainTest.Run ingest(String... args) {
    List<String> all = new ArrayList<>(List.of("ingest", "--url", "http://127.0.0.1:" + server.httpPort(),
        "--api-key", ADMIN));
    all.addAll(List.of(args));
    return MainTest.run(all.toArray(new String[0]));
  }

  private List<StoredEvent> search(String q) throws Exception {
    logd.index().awaitSearchable();
    return logd.searcher().search(new Searcher.Request(Logd.DEFAULT_TENANT, q,
        TimeRange.ALL, 10_000, null, true)).events();
  }

  private static String nginxLine(SplittableRandom rnd, int i) {
    String[] paths = {"/", "/api/v1/users", "/login", "/static/app.js?v=3"};
    int[] status = {200, 200, 304, 404, 500};
    return "10.0." + rnd.nextInt(4) + "." + rnd.nextInt(1, 255) + " - - [23/Nov/2026:10:" + String.format("%02d", i / 60 % 60)
        + ":" + String.format("%02d", i % 60) + " +0000] \"GET " + paths[rnd.nextInt(paths.length)]
        + " HTTP/1.1\" " + status[rnd.nextInt(status.length)] + " " + rnd.nextInt(10_000)
        + " \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"";
  }

  private Path nginxFile(String name, int n, long seed) throws Exception {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(nginxLine(rnd, i));
    }
    return Files.write(dir.resolve(name), lines);
  }

  @Test
  void importsPlainAndGzipNginxFilesAndAgainIsANoOp() throws Exception {
    start(Map.of());
    long seed = System.nanoTime();
    System.out.println("IngestIT seed " + seed);
    Path plain = nginxFile("access.log", 1200, seed);
    Path gz = dir.resolve("access.log.1.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(nginxFile("access.log.1", 800, seed + 1), out);
    }
    MainTest.Run r = ingest(plain.toString(), gz.toString(), "--format", "nginx", "--host", "web-1",
        "--service", "nginx", "--batch", "500");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("imported 2,000 events"), r.out());
    List<StoredEvent> all = search("service:nginx");
    assertEquals(2000, all.size());
    StoredEvent e = all.get(0);
    assertEquals("web-1", e.event().host());
    assertTrue(e.event().fields().get("status") instanceof FieldValue.LongValue, e.toString());
    assertTrue(e.event().fields().containsKey("client_ip"), e.toString());
    assertTrue(e.event().fields().containsKey("import_id"), e.toString());
    assertTrue(e.event().timestamp().toString().startsWith("2026-11-23T10:"), e.toString());

    // The same files again: already stored, nothing added.
    MainTest.Run again = ingest(plain.toString(), gz.toString(), "--format", "nginx", "--host", "web-1",
        "--service", "nginx");
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.err().contains("already imported"), again.err());
    assertEquals(2000, search("service:nginx").size());

    // --force imports again on purpose.
    MainTest.Run forced = ingest(plain.toString(), "--format", "nginx", "--service", "nginx", "--force");
    assertEquals(0, forced.exit(), forced.err());
    assertEquals(3200, search("service:nginx").size());
  }

  @Test
  void anInterruptedImportResumesWhereItStopped() throws Exception {
    start(Map.of());
    Path file = nginxFile("resume.log", 1000, 7);
    // An earlier run stored the first 300 lines, then died.
    Path head = dir.resolve("head.log");
    Files.write(head, Files.readAllLines(file).subList(0, 300));
    String id = IngestCommand.hash(file);
    StringBuilder ndjson = new StringBuilder();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < 300; i++) {
      ndjson.append("{\"message\":").append(ApiClient.JSON.writeValueAsString(lines.get(i)))
          .append(",\"service\":\"resume\",\"import_id\":\"").append(id).append("\",\"import_line\":")
          .append(i + 1).append("}\n");
    }
    ApiClient api = new ApiClient(java.net.URI.create("http://127.0.0.1:" + server.httpPort()), ADMIN);
    assertEquals(200, api.post("/api/v1/logs/bulk", "application/x-ndjson",
        ndjson.toString().getBytes(StandardCharsets.UTF_8)).status());
    logd.index().awaitSearchable();

    MainTest.Run r = ingest(file.toString(), "--format", "nginx", "--service", "resume");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("resumed after 300"), r.err());
    List<StoredEvent> events = search("service:resume");
    assertEquals(1000, events.size());
    long distinctLines = events.stream().map(e -> e.event().fields().get("import_line")).distinct().count();
    assertEquals(1000, distinctLines);
  }

  @Test
  void autoDetectsEachLinesFormat() throws Exception {
    start(Map.of());
    Path mixed = Files.writeString(dir.resolve("mixed.log"), String.join("\n",
        "<34>1 2026-11-23T10:00:00.000Z mymachine su - ID47 - 'su root' failed for lonvick",
        "{\"time\":\"2026-11-23T10:00:01Z\",\"level\":\"error\",\"msg\":\"json line\",\"service\":\"api\",\"user_id\":42}",
        "time=2026-11-23T10:00:02Z level=warn msg=\"logfmt line\" service=worker retries=3",
        "2025/11/17 10:15:23.123 from tcp:192.168.0.10:54321 accepted tcp:example.com:443 [inbound >> direct] email:user@example.com",
        "203.0.113.9 - - [23/Nov/2026:10:00:04 +0000] \"GET /health HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"",
        "",
        "just some plain text without structure",
        "") );
    MainTest.Run r = ingest(mixed.toString(), "--service", "import");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("imported 6 events"), r.out());
    assertEquals("mymachine", search("msgid:ID47").get(0).event().host());
    assertEquals(FieldValue.of(42), search("user_id:42").get(0).event().fields().get("user_id"));
    assertEquals(FieldValue.of(3), search("retries:3").get(0).event().fields().get("retries"));
    assertEquals(FieldValue.of("example.com"), search("email:\"user@example.com\"").get(0).event().fields().get("dest_host"));
    assertEquals(FieldValue.of(200), search("client_ip:203.0.113.9").get(0).event().fields().get("status"));
    StoredEvent plain = search("\"plain text without\"").get(0);
    assertEquals("import", plain.event().service());
    assertTrue(!plain.event().fields().containsKey("parse_error"), plain.toString());
  }

  @Test
  void badLinesAreReportedByFileAndLineAndKeptAsText() throws Exception {
    start(Map.of());
    Path file = Files.writeString(dir.resolve("bad.log"), String.join("\n",
        nginxLine(new SplittableRandom(1), 1),
        "this is not an nginx line",
        nginxLine(new SplittableRandom(2), 2)) + "\n");
    MainTest.Run r = ingest(file.toString(), "--format", "nginx", "--service", "badtest");
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains(file + ":2: kept as text"), r.err());
    assertEquals(3, search("service:badtest").size());
    StoredEvent raw = search("service:badtest AND \"not an nginx line\"").get(0);
    assertTrue(raw.event().fields().containsKey("parse_error"), raw.toString());
  }

  @Test
  void standardInputAndRetriesOnRateLimits() throws Exception {
    start(Map.of("http.rate_limit", "2", "http.rate_burst", "1"));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      text.append("<13>Nov 23 10:00:00 host-").append(i % 3).append(" stdinapp[").append(i).append("]: line ")
          .append(i).append('\n');
    }
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
      MainTest.Run r = ingest("-", "--format", "syslog", "--batch", "10");
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.err().contains("server busy (429)"), r.err());
    } finally {
      System.setIn(saved);
    }
    assertEquals(60, search("service:stdinapp").size());
  }

  @Test
  void usageErrors() throws Exception {
    start(Map.of());
    assertEquals(2, ingest("x.log", "--format", "apache").exit());
    MainTest.Run missing = ingest(dir.resolve("nope.log").toString());
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("nope.log: no such file"), missing.err());
    Path one = Files.writeString(dir.resolve("one.log"), "hello\n");
    MainTest.Run noServer = MainTest.run("ingest", "--url", "http://127.0.0.1:1", one.toString(),
        "--api-key", ADMIN);
    assertEquals(1, noServer.exit());
    assertTrue(noServer.err().contains("cannot connect"), noServer.err());
  }
}
