package io.logd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.logd.config.ConfigLoader;
import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.ingest.IngestPipeline;
import io.logd.server.LogdServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query and admin command of {@code logd} against a real server on a free port, run in-process
 * through {@link Main} with a pinned environment: golden output for the table and JSON modes (update
 * with {@code -Dgolden.update=true}), tail -f receiving a new event, connection settings, colours,
 * and the error paths.
 */
class CliIT {
  static final String ADMIN = "logd_cli_it_admin_key_0123456789";
  static final String FROM = "2026-11-23T10:00:00Z";
  static final String TO = "2026-11-23T12:00:00Z";
  static final long T0 = Instant.parse(FROM).getEpochSecond() * 1_000_000_000L;
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  @TempDir Path dir;
  Logd logd;
  LogdServer server;
  String url;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    Map<String, String> o = new HashMap<>(Map.of(
        "data_dir", dir.resolve("data").toString(), "http.port", "0", "http.bind", "127.0.0.1",
        "storage.min_free_disk", "0", "storage.rocksdb.block_cache", "8MiB"));
    LogdConfig cfg = ConfigLoader.load(null, Map.of("LOGD_ADMIN_KEY", ADMIN), o);
    logd = Logd.builder().config(cfg).open();
    server = LogdServer.start(logd, cfg.http());
    url = "http://127.0.0.1:" + server.httpPort();
    // 12 events over two hours: fixed times, hosts, levels and receive times, so output is golden.
    List<LogEvent> events = new ArrayList<>();
    String[] services = {"api", "web", "api", "auth"};
    String[] paths = {"/login", "/api/v1/users", "/login", "/health"};
    for (int i = 0; i < 12; i++) {
      long t = T0 + i * 600_000_000_000L + i * 1_000_000L;
      events.add(LogEvent.builder().timestampNanos(t).receivedNanos(t + 5_000_000L)
          .host("web-" + (i % 3)).service(services[i % 4])
          .level(i % 5 == 0 ? Severity.ERROR : i % 4 == 3 ? Severity.WARN : Severity.INFO)
          .message(i == 7 ? "multi\nline stack" : "request " + i + " took " + (10 * i) + " ms")
          .field("status", i % 5 == 0 ? 500 : 200).field("path", paths[i % 4]).field("latency_ms", 10 * i)
          .field("client_ip", "10.0.0." + (i % 2)).field("bytes", 100 * i).build());
    }
    ingest(events);
  }

  void ingest(List<LogEvent> events) throws Exception {
    IngestPipeline.Accepted a = assertInstanceOf(IngestPipeline.Accepted.class, logd.ingest(Logd.DEFAULT_TENANT, events));
    a.ack().get(30, TimeUnit.SECONDS);
    logd.index().awaitSearchable();
    logd.rollups().orElseThrow().awaitCounted();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    logd.close();
  }

  CliContext context(Map<String, String> env, boolean terminal, ZoneId zone) {
    return new CliContext(env, dir.resolve("cli.yaml"), terminal, zone);
  }

  Run run(String... args) {
    return run(context(Map.of("LOGD_URL", url, "LOGD_API_KEY", ADMIN), false, ZoneOffset.UTC), args);
  }

  static Run run(CliContext ctx, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(ctx, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  Run ok(String... args) {
    Run r = run(args);
    assertEquals(0, r.exit(), String.join(" ", args) + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
    return r;
  }

  static void golden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      if (!Boolean.getBoolean("golden.update")) {
        throw new AssertionError("wrote missing golden file " + file + "; check it and rerun");
      }
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "golden " + name);
  }

  // ---------------------------------------------------------------- golden output

  @Test
  void searchInTableJsonAndRawModes() throws Exception {
    golden("search.table.txt", ok("search", "service:api OR service:auth", "--from", FROM, "--to", TO, "-o", "table", "--utc").out());
    golden("search.json.txt", ok("search", "service:api", "--from", FROM, "--to", TO, "-o", "json").out());
    golden("search.raw.txt", ok("search", "--from", FROM, "--to", TO, "--limit", "4", "-o", "raw").out());
    // Local time: the run's zone is Europe/Berlin (UTC+1 in November).
    Run berlin = run(context(Map.of("LOGD_URL", url, "LOGD_API_KEY", ADMIN), false, ZoneId.of("Europe/Berlin")),
        "search", "--limit", "1", "-o", "table", "--oldest-first");
    assertTrue(berlin.out().contains("2026-11-23 11:00:00.000"), berlin.out());
  }

  @Test
  void statsAndTopInTableAndJsonModes() throws Exception {
    golden("stats.table.txt", ok("stats", "--from", FROM, "--to", TO, "--step", "30m", "-o", "table", "--utc").out());
    golden("stats-service.table.txt",
        ok("stats", "--from", FROM, "--to", TO, "--by", "service", "-o", "table", "--utc").out());
    JsonNode stats = ApiClient.JSON.readTree(ok("stats", "--from", FROM, "--to", TO, "-o", "json").out());
    assertEquals(12, stats.path("overview").path("total").asLong());
    assertEquals("level", stats.path("timeseries").path("by").asText());
    golden("top.table.txt", ok("top", "path", "--from", FROM, "--to", TO, "-o", "table").out());
    golden("top.json.txt", ok("top", "source_ip", "--from", FROM, "--to", TO, "-o", "json").out());
    assertEquals("/login\t6\n/api/v1/users\t3\n", ok("top", "path", "-n", "2", "--from", FROM, "--to", TO, "-o", "raw").out());
  }

  @Test
  void searchPagesThroughTheCursorForLargeLimits() throws Exception {
    List<LogEvent> more = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      more.add(LogEvent.builder().timestampNanos(T0 + 86_400_000_000_000L + i * 1_000_000_000L)
          .service("bulk").message("bulk " + i).build());
    }
    ingest(more);
    Run r = ok("search", "service:bulk", "--limit", "2300", "-o", "raw");
    List<String> lines = r.out().lines().toList();
    assertEquals(2300, lines.size());
    assertEquals("bulk 2499", lines.get(0));
    assertEquals("bulk 200", lines.get(2299));
    assertEquals(2300, new HashSet<>(lines).size());
    assertEquals(2500, ok("search", "service:bulk", "--limit", "100000", "-o", "raw").out().lines().count());
  }

  @Test
  void exportStreamsNdjsonAndCsvToStdoutOrAFile() throws Exception {
    Run nd = ok("export", "--from", FROM, "--to", TO);
    assertEquals(12, nd.out().lines().count());
    assertEquals("request 0 took 0 ms", ApiClient.JSON.readTree(nd.out().lines().findFirst().orElseThrow()).path("message").asText());
    Path csv = dir.resolve("out.csv");
    Run r = ok("export", "service:api", "--format", "csv", "-o", csv.toString());
    List<String> lines = Files.readAllLines(csv);
    assertTrue(lines.get(0).startsWith("timestamp,id,host,service"), lines.get(0));
    assertEquals(1 + 6, lines.size());
    assertTrue(r.err().contains("exported 6 events"), r.err());
    assertFalse(Files.exists(dir.resolve("out.csv.part")));
  }

  @Test
  void tailShowsTheLastEventsOldestFirst() {
    assertEquals("request 10 took 100 ms\nrequest 11 took 110 ms\n", ok("tail", "-n", "2", "-o", "raw").out());
    Run t = ok("tail", "-n", "3", "level:error", "-o", "table", "--utc");
    assertTrue(t.out().startsWith("TIME"), t.out());
    assertEquals(4, t.out().lines().count());
  }

  @Test
  void tailFollowReceivesANewEvent() throws Exception {
    CompletableFuture<Run> tail = CompletableFuture.supplyAsync(
        () -> run("tail", "-f", "-n", "0", "--count", "1", "service:late", "-o", "json"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    // Send until the follower has one: it subscribes a moment after it starts.
    while (!tail.isDone() && System.nanoTime() < deadline) {
      ingest(List.of(LogEvent.builder().timestampNanos(System.currentTimeMillis() * 1_000_000L)
          .service("late").message("arrived while following").build()));
      Thread.sleep(200);
    }
    Run r = tail.get(5, TimeUnit.SECONDS);
    assertEquals(0, r.exit(), r.err());
    JsonNode e = ApiClient.JSON.readTree(r.out().lines().findFirst().orElseThrow());
    assertEquals("arrived while following", e.path("message").asText());
    assertEquals(1, r.out().lines().count());
  }

  @Test
  void keysAndTenants() throws Exception {
    assertEquals("created tenant acme\n", ok("tenants", "create", "acme", "-o", "table").out());
    assertTrue(ok("tenants", "list", "-o", "raw").out().contains("acme\n"));
    JsonNode key = ApiClient.JSON.readTree(ok("keys", "create", "--tenant", "acme", "--role", "read", "--name", "grafana", "-o", "json").out());
    assertEquals("read", key.path("role").asText());
    String secret = key.path("key").asText();
    assertFalse(secret.isBlank());
    Run table = ok("keys", "list", "-o", "table", "--utc");
    assertTrue(table.out().lines().findFirst().orElseThrow().startsWith("ID"), table.out());
    assertTrue(table.out().contains("grafana"), table.out());
    assertFalse(table.out().contains(secret), "list never shows secrets");
    // The new key reads acme's (empty) data.
    Run asAcme = run(context(Map.of("LOGD_URL", url, "LOGD_API_KEY", secret), false, ZoneOffset.UTC), "search", "-o", "raw");
    assertEquals(0, asAcme.exit(), asAcme.err());
    assertEquals("", asAcme.out());
    assertTrue(ok("keys", "revoke", key.path("id").asText(), "-o", "table").out().contains("revoked key"));
    Run revoked = run(context(Map.of("LOGD_URL", url, "LOGD_API_KEY", secret), false, ZoneOffset.UTC), "search");
    assertEquals(1, revoked.exit());
    assertTrue(revoked.err().contains("LOGD_API_KEY"), revoked.err());
    assertEquals(2, run("keys", "revoke", "../etc").exit());
  }

  @Test
  void adminReindexAndRebuildRollups() throws Exception {
    assertTrue(ok("admin", "reindex", "-o", "table").out().startsWith("reindexed 12 events"));
    assertTrue(ok("admin", "rebuild-rollups", "-o", "table").out().startsWith("recounted 12 events"));
    assertEquals(12, ApiClient.JSON.readTree(ok("admin", "reindex", "-o", "json").out()).path("events").asLong());
  }

  @Test
  void adminVerifyRetentionAndBackupThenRestore() throws Exception {
    Run verify = ok("admin", "verify", "-o", "table");
    assertTrue(verify.out().contains("default") && verify.out().strip().endsWith("ok"), verify.out());
    assertTrue(ApiClient.JSON.readTree(ok("admin", "verify", "-o", "json").out()).path("ok").asBoolean());
    Run retention = ok("admin", "retention", "-o", "table");
    assertTrue(retention.out().startsWith("nothing to drop") || retention.out().startsWith("dropped"), retention.out());

    Path backup = dir.resolve("backup");
    Run b = ok("admin", "backup", backup.toString(), "-o", "table");
    assertTrue(b.out().startsWith("backed up") && b.out().contains(backup.toString()), b.out());
    Run again = run("admin", "backup", backup.toString());
    assertEquals(2, again.exit(), "an existing, non-empty backup directory is refused: " + again.err());

    // Restore: a server started on the backup directory answers the same search.
    String before = ok("search", "--from", FROM, "--to", TO, "-o", "raw").out();
    server.close();
    logd.close();
    LogdConfig cfg = ConfigLoader.load(null, Map.of(), Map.of("data_dir", backup.toString(), "http.port", "0",
        "http.bind", "127.0.0.1", "storage.min_free_disk", "0"));
    logd = Logd.builder().config(cfg).open();
    server = LogdServer.start(logd, cfg.http());
    url = "http://127.0.0.1:" + server.httpPort();
    assertEquals(before, ok("search", "--from", FROM, "--to", TO, "-o", "raw").out());
    assertTrue(ok("admin", "verify", "-o", "table").out().strip().endsWith("ok"));
  }

  // ---------------------------------------------------------------- settings and output

  @Test
  void connectionSettingsComeFromFlagsThenEnvironmentThenTheConfigFile() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String nowhere = "http://127.0.0.1:" + closed;
    Files.writeString(dir.resolve("cli.yaml"), "url: " + url + "\napi_key: " + ADMIN + "\n");
    assertEquals(0, run(context(Map.of(), false, ZoneOffset.UTC), "search", "-o", "raw").exit(), "file alone");
    Run envWins = run(context(Map.of("LOGD_URL", nowhere), false, ZoneOffset.UTC), "search");
    assertEquals(1, envWins.exit());
    assertTrue(envWins.err().contains(nowhere), envWins.err());
    Run flagWins = run(context(Map.of("LOGD_URL", nowhere), false, ZoneOffset.UTC), "search", "--url", url, "-o", "raw");
    assertEquals(0, flagWins.exit(), flagWins.err());
    Run badKey = run(context(Map.of("LOGD_API_KEY", "wrong-key-0123456789"), false, ZoneOffset.UTC), "search");
    assertEquals(1, badKey.exit());
    assertTrue(badKey.err().contains("401") && badKey.err().contains("LOGD_API_KEY"), badKey.err());
    Files.writeString(dir.resolve("cli.yaml"), "url: " + url + "\ncolour: red\n");
    Run badFile = run(context(Map.of(), false, ZoneOffset.UTC), "search");
    assertEquals(1, badFile.exit());
    assertTrue(badFile.err().contains("cli.yaml") && badFile.err().contains("colour"), badFile.err());
  }

  @Test
  void tableIsTheDefaultOnATerminalWithColoursUnlessNoColor() {
    Map<String, String> env = Map.of("LOGD_URL", url, "LOGD_API_KEY", ADMIN);
    Run tty = run(context(env, true, ZoneOffset.UTC), "search", "level:error", "--limit", "1");
    assertTrue(tty.out().startsWith("TIME"), tty.out());
    assertTrue(tty.out().contains("\033[31merror"), tty.out());
    Map<String, String> noColour = new HashMap<>(env);
    noColour.put("NO_COLOR", "1");
    Run plain = run(context(noColour, true, ZoneOffset.UTC), "search", "level:error", "--limit", "1");
    assertFalse(plain.out().contains("\033["), plain.out());
    Run pipe = run(context(env, false, ZoneOffset.UTC), "search", "level:error", "--limit", "1");
    assertTrue(pipe.out().startsWith("{"), "JSON on a pipe: " + pipe.out());
  }

  // ---------------------------------------------------------------- errors

  @Test
  void errorsSayWhatToFixAndExitOneOrTwo() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Run down = run("search", "--url", "http://127.0.0.1:" + closed);
    assertEquals(1, down.exit());
    assertTrue(down.err().contains("cannot connect to logd at http://127.0.0.1:" + closed), down.err());

    Run syntax = run("search", "level:error AND (service:api");
    assertEquals(2, syntax.exit(), syntax.err());
    List<String> lines = syntax.err().lines().toList();
    assertTrue(lines.get(0).startsWith("logd: bad query:"), syntax.err());
    assertEquals("  level:error AND (service:api", lines.get(1));
    assertTrue(lines.get(2).matches(" +\\^"), syntax.err());

    assertEquals(2, run("search", "--since", "1h", "--from", FROM).exit());
    assertEquals(2, run("search", "--since", "yesterday").exit());
    assertEquals(2, run("search", "--from", "the day before").exit());
    assertEquals(2, run("stats", "--by", "colour").exit());
    assertEquals(2, run("top", "colour").exit());
    assertEquals(2, run("export", "--format", "xml").exit());
    assertEquals(2, run("search", "--url", "ftp://x").exit());
    assertEquals(2, run("tail", "--count", "3").exit());
    assertEquals(2, run("admin", "backup", "relative/dir").exit());
  }

  @Test
  void completionScriptsAreGeneratedAndShipped() throws Exception {
    Run bash = ok("completion", "bash");
    assertTrue(bash.out().contains("complete -F _complete_logd"), bash.out().substring(0, 200));
    assertTrue(bash.out().contains("rebuild-rollups"));
    Path shipped = Path.of("../packaging/completion");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(shipped);
      Files.writeString(shipped.resolve("logd.bash"), bash.out());
      Files.writeString(shipped.resolve("_logd"), ok("completion", "zsh").out());
    }
    assertEquals(Files.readString(shipped.resolve("logd.bash")), bash.out(),
        "packaging/completion/logd.bash is stale: regenerate with `logd completion bash`");
    assertEquals(Files.readString(shipped.resolve("_logd")), ok("completion", "zsh").out(),
        "packaging/completion/_logd is stale: regenerate with `logd completion zsh`");
    Set<String> commands = Set.of("search", "tail", "stats", "top", "export", "keys", "tenants", "admin", "ingest", "serve");
    for (String c : commands) {
      assertTrue(bash.out().contains(c), c);
    }
  }
}
