package io.logd.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logd.bench.data.Dataset;
import io.logd.bench.data.Ndjson;
import io.logd.event.LogEvent;
import io.logd.store.Retention;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * The side-by-side run: one dataset, loaded into logd and into PostgreSQL with the seeds' schema
 * ({@link PgRows}), then the same five questions asked of both, each answer timed and checked
 * against the other system's.
 *
 * <ol>
 *   <li><b>Generate</b> {@code --events} events of {@code --dataset} with {@code --seed} (printed),
 *       evenly spread, in time order, over the 24 hours ending at the start of the current minute,
 *       at microsecond resolution (PostgreSQL's): once as NDJSON (what logd is sent, and the raw
 *       size) and once as COPY text rows (what PostgreSQL is sent). Both files live in {@code
 *       --work} and are reused by a later run with the same events, dataset, seed and minute.
 *   <li><b>PostgreSQL, batched INSERT</b>: the seeds' way, as their FastAPI app wrote: {@code
 *       --connections} connections each send multi-row {@code INSERT ... VALUES} statements of
 *       {@code --batch} rows in autocommit (one durable commit each), into the table with all its
 *       indexes. {@code --insert-events} limits this phase to the first N events (0 skips it).
 *   <li><b>PostgreSQL, COPY</b>: into a fresh table with the same indexes, over the same
 *       connections, {@code --copy-batch} rows per {@code COPY ... FROM STDIN}, then {@code VACUUM
 *       ANALYZE} (timed apart) and a checkpoint, so the queries see planner statistics and nothing
 *       of the load is left running.
 *   <li><b>logd</b>: the NDJSON lines in {@code --batch}-event bodies to {@code /api/v1/logs/bulk}
 *       over {@code --connections} connections (durable acks, the default), retrying 503/429 after
 *       50 ms; the rate is counted until everything is searchable (a count from the index equals
 *       the number sent) and, separately, until the rollups have counted it.
 *   <li><b>Questions</b>, each {@code --warmup} times untimed and then {@code --reps} times timed,
 *       logd and PostgreSQL alternating: newest 100 events with a word, newest 100 with a phrase,
 *       count per minute over the 24 h, top 10 source IPs, p99 latency per service. Each answer's
 *       agreement with the other system is checked and printed.
 *   <li><b>Disk</b>: {@code pg_total_relation_size} of each table (heap, TOAST and indexes;
 *       PostgreSQL's WAL apart) against logd's whole data directory (its RocksDB WAL apart too).
 * </ol>
 *
 * <pre>
 * benchmarks/compare-postgres.sh [--events 1000000] [--seed 1] [--connections 4] [--reps 20] ...
 * </pre>
 *
 * The script starts both servers on free loopback ports and passes {@code --jdbc}, {@code
 * --logd-url}, {@code --logd-key}, {@code --logd-data} and {@code --work}.
 */
public final class ComparePostgres {
  private static final long DAY_NANOS = TimeUnit.DAYS.toNanos(1);
  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final String WORD = "timeout";
  private static final String PHRASE = "connection refused";

  private final Map<String, String> opts;
  private final long events;
  private final long seed;
  private final String dataset;
  private final int connections;
  private final int batch;
  private final int copyBatch;
  private final long insertEvents;
  private final int reps;
  private final int warmup;
  private final Path work;
  private final String jdbc;
  private final String logdUrl;
  private final String logdKey;
  private final Path logdData;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  private long startNanos;
  private long endNanos;
  private Path ndjson;
  private Path rows;
  private long rawBytes;
  /** What the report prints, in order. */
  private final Map<String, String> facts = new LinkedHashMap<>();
  private final List<String[]> table = new ArrayList<>();

  private ComparePostgres(Map<String, String> opts) {
    this.opts = opts;
    events = Long.parseLong(opts.getOrDefault("events", "1000000"));
    seed = Long.parseLong(opts.getOrDefault("seed", "1"));
    dataset = opts.getOrDefault("dataset", "mixed");
    connections = Integer.parseInt(opts.getOrDefault("connections", "4"));
    batch = Integer.parseInt(opts.getOrDefault("batch", "1000"));
    copyBatch = Integer.parseInt(opts.getOrDefault("copy-batch", "50000"));
    insertEvents = Long.parseLong(opts.getOrDefault("insert-events", Long.toString(events)));
    reps = Integer.parseInt(opts.getOrDefault("reps", "20"));
    warmup = Integer.parseInt(opts.getOrDefault("warmup", "5"));
    work = Path.of(required("work"));
    jdbc = required("jdbc");
    logdUrl = required("logd-url");
    logdKey = required("logd-key");
    logdData = Path.of(required("logd-data"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("usage: ComparePostgres --work DIR --jdbc URL --logd-url URL --logd-key KEY --logd-data DIR"
            + " [--events N] [--seed S] [--dataset D] [--connections C] [--batch B] [--copy-batch R]"
            + " [--insert-events N] [--reps R] [--warmup W]");
        System.exit(2);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    new ComparePostgres(opts).run();
  }

  private String required(String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  private void run() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    endNanos = now - now % MINUTE_NANOS;
    startNanos = endNanos - DAY_NANOS;
    System.out.printf("ComparePostgres: %,d events of dataset %s, seed %d, over %s .. %s; %d connections, batches of %d,"
            + " COPY blocks of %d rows; %d reps after %d warm-up%n", events, dataset, seed, Instant.ofEpochSecond(0, startNanos),
        Instant.ofEpochSecond(0, endNanos), connections, batch, copyBatch, reps, warmup);
    generate();
    try (Connection admin = DriverManager.getConnection(jdbc)) {
      admin.setAutoCommit(true);
      System.out.println("PostgreSQL: " + scalar(admin, "SELECT version()"));
      if (insertEvents > 0) {
        loadInsert(admin);
      }
      loadCopy(admin);
      loadLogd();
      questions(admin);
      disk(admin);
    }
    report();
  }

  // ------------------------------------------------------------------ data

  private void generate() throws IOException {
    Files.createDirectories(work);
    String name = "logs-" + dataset.replaceAll("[^a-z0-9]", "_") + "-" + events + "-s" + seed + "-" + startNanos / MINUTE_NANOS;
    ndjson = work.resolve(name + ".ndjson");
    rows = work.resolve(name + ".copy");
    if (Files.exists(ndjson) && Files.exists(rows)) {
      rawBytes = Files.size(ndjson);
      System.out.printf("reusing %s (%,d bytes) and %s%n", ndjson, rawBytes, rows);
      return;
    }
    long t0 = System.nanoTime();
    Dataset data = Dataset.of(dataset, seed);
    long step = DAY_NANOS / events;
    Ndjson nd = new Ndjson();
    StringBuilder sb = new StringBuilder(1 << 16);
    Path ndTmp = work.resolve(name + ".ndjson.tmp");
    Path rowsTmp = work.resolve(name + ".copy.tmp");
    try (OutputStream ndOut = new BufferedOutputStream(Files.newOutputStream(ndTmp), 1 << 20);
        Writer rowsOut = Files.newBufferedWriter(rowsTmp, StandardCharsets.UTF_8)) {
      for (long i = 0; i < events; i++) {
        long t = startNanos + i * step;
        LogEvent e = data.next(t - t % 1000); // microseconds, as PostgreSQL keeps them
        long rec = e.receivedNanos() - e.receivedNanos() % 1000;
        e = new LogEvent(e.timestampNanos(), rec, e.host(), e.service(), e.level(), e.facility(), e.message(), e.fields(),
            e.tags());
        nd.add(e, true);
        PgRows.appendCopyLine(sb, e);
        if (sb.length() > 1 << 15) {
          nd.drainTo(ndOut);
          rowsOut.append(sb);
          sb.setLength(0);
        }
      }
      nd.drainTo(ndOut);
      rowsOut.append(sb);
    }
    Files.move(ndTmp, ndjson);
    Files.move(rowsTmp, rows);
    rawBytes = Files.size(ndjson);
    System.out.printf("generated %s: %,d bytes NDJSON (%.0f bytes/event), %,d bytes COPY text, in %.1f s%n", data,
        rawBytes, (double) rawBytes / events, Files.size(rows), (System.nanoTime() - t0) / 1e9);
  }

  /** Feeds chunks of {@code file} to {@code workers} threads; returns the seconds from first send to last done. */
  private double parallel(Path file, int linesPerChunk, long maxLines, ChunkSink sink) throws Exception {
    BlockingQueue<LineChunks.Chunk> queue = new ArrayBlockingQueue<>(connections * 2);
    LineChunks.Chunk end = new LineChunks.Chunk(new byte[0], 0);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int worker = c;
      threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
        try (AutoCloseable session = sink.open(worker)) {
          LineChunks.Chunk chunk;
          while ((chunk = queue.take()) != end) {
            sink.send(worker, chunk);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
          queue.clear();
        }
      }));
    }
    long t0 = System.nanoTime();
    long sent = 0;
    long lastReport = t0;
    try (LineChunks in = new LineChunks(file, linesPerChunk)) {
      LineChunks.Chunk chunk;
      while (sent < maxLines && failure.get() == null && (chunk = in.next()) != null) {
        if (sent + chunk.lines() > maxLines) {
          chunk = trim(chunk, (int) (maxLines - sent));
        }
        while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
          if (failure.get() != null) {
            break;
          }
        }
        sent += chunk.lines();
        if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
          lastReport = System.nanoTime();
          System.out.printf("    %,d rows handed over (%.0f s)%n", sent, (lastReport - t0) / 1e9);
        }
      }
    }
    for (int c = 0; c < connections; c++) {
      queue.put(end);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("loading failed: " + failure.get(), failure.get());
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static LineChunks.Chunk trim(LineChunks.Chunk c, int lines) {
    int n = 0;
    int i = 0;
    while (n < lines) {
      if (c.bytes()[i++] == '\n') {
        n++;
      }
    }
    return new LineChunks.Chunk(Arrays.copyOf(c.bytes(), i), lines);
  }

  private interface ChunkSink {
    AutoCloseable open(int worker) throws Exception;

    void send(int worker, LineChunks.Chunk chunk) throws Exception;
  }

  // ------------------------------------------------------------------ PostgreSQL

  private void createTable(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      for (String ddl : PgRows.ddl(table)) {
        s.execute(ddl);
      }
    }
  }

  private void loadInsert(Connection admin) throws Exception {
    createTable(admin, "logs_insert");
    long n = Math.min(insertEvents, events);
    System.out.printf("PostgreSQL batched INSERT of %,d rows (%d per statement, %d connections)...%n", n, batch, connections);
    Connection[] conns = new Connection[connections];
    String full = insertSql("logs_insert", batch);
    PreparedStatement[] statements = new PreparedStatement[connections];
    double secs = parallel(rows, batch, n, new ChunkSink() {
      @Override
      public AutoCloseable open(int w) throws SQLException {
        conns[w] = DriverManager.getConnection(jdbc);
        conns[w].setAutoCommit(true);
        statements[w] = conns[w].prepareStatement(full);
        return conns[w];
      }

      @Override
      public void send(int w, LineChunks.Chunk chunk) throws SQLException {
        String[] lines = new String(chunk.bytes(), StandardCharsets.UTF_8).split("\n");
        PreparedStatement ps = lines.length == batch ? statements[w] : conns[w].prepareStatement(insertSql("logs_insert", lines.length));
        int p = 1;
        for (String line : lines) {
          for (String v : PgRows.parseCopyLine(line)) {
            ps.setString(p++, v);
          }
        }
        ps.executeUpdate();
        if (ps != statements[w]) {
          ps.close();
        }
      }
    });
    long count = Long.parseLong(scalar(admin, "SELECT count(*) FROM logs_insert"));
    check(count == n, "logs_insert holds " + count + " rows, expected " + n);
    long size = Long.parseLong(scalar(admin, "SELECT pg_total_relation_size('logs_insert')"));
    System.out.printf("  %,d rows in %.1f s = %,.0f rows/s; table with indexes %,d bytes (%.0f bytes/row)%n", n, secs, n / secs,
        size, (double) size / n);
    insertRate = n / secs;
    insertRows = n;
    insertBytes = size;
    try (Statement s = admin.createStatement()) {
      s.execute("DROP TABLE logs_insert");
      s.execute("CHECKPOINT");
    }
  }

  private double insertRate;
  private long insertRows;
  private long insertBytes;
  private double copyRate;

  private static String insertSql(String table, int n) {
    StringBuilder sb = new StringBuilder("INSERT INTO ").append(table).append(" (").append(PgRows.COLUMNS).append(") VALUES ");
    for (int r = 0; r < n; r++) {
      sb.append(r == 0 ? "(" : ",(");
      for (int c = 0; c < PgRows.COLUMN_COUNT; c++) {
        sb.append(c == 0 ? "?" : ",?").append(PgRows.CASTS[c]);
      }
      sb.append(')');
    }
    return sb.toString();
  }

  private void loadCopy(Connection admin) throws Exception {
    createTable(admin, "logs");
    System.out.printf("PostgreSQL COPY of %,d rows (%d per COPY, %d connections)...%n", events, copyBatch, connections);
    Connection[] conns = new Connection[connections];
    String sql = "COPY logs (" + PgRows.COLUMNS + ") FROM STDIN";
    double secs = parallel(rows, copyBatch, events, new ChunkSink() {
      @Override
      public AutoCloseable open(int w) throws SQLException {
        conns[w] = DriverManager.getConnection(jdbc);
        conns[w].setAutoCommit(true);
        return conns[w];
      }

      @Override
      public void send(int w, LineChunks.Chunk chunk) throws Exception {
        conns[w].unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new ByteArrayInputStream(chunk.bytes()), 1 << 16);
      }
    });
    long count = Long.parseLong(scalar(admin, "SELECT count(*) FROM logs"));
    check(count == events, "logs holds " + count + " rows, expected " + events);
    long sizeLoaded = Long.parseLong(scalar(admin, "SELECT pg_total_relation_size('logs')"));
    long t0 = System.nanoTime();
    try (Statement s = admin.createStatement()) {
      s.execute("VACUUM ANALYZE logs");
    }
    double vacuum = (System.nanoTime() - t0) / 1e9;
    try (Statement s = admin.createStatement()) {
      s.execute("CHECKPOINT");
    }
    copyRate = events / secs;
    System.out.printf("  %,d rows in %.1f s = %,.0f rows/s (%.1f MB/s of NDJSON-equivalent); VACUUM ANALYZE %.1f s;"
        + " table with indexes %,d bytes%n", events, secs, copyRate, rawBytes / secs / 1e6, vacuum, sizeLoaded);
    facts.put("pg_copy_vacuum_s", String.format("%.1f", vacuum));
  }

  // ------------------------------------------------------------------ logd

  private double logdAckedRate;
  private double logdSearchableRate;
  private long logdDiskLoaded;
  private long logdWalLoaded;

  private void loadLogd() throws Exception {
    System.out.printf("logd HTTP NDJSON bulk of %,d events (%d per request, %d connections, durable acks)...%n",
        events, batch, connections);
    URI bulk = URI.create(logdUrl + "/api/v1/logs/bulk");
    long[] pushbacks = new long[connections];
    long t0 = System.nanoTime();
    double acked = parallel(ndjson, batch, events, new ChunkSink() {
      @Override
      public AutoCloseable open(int w) {
        return () -> {};
      }

      @Override
      public void send(int w, LineChunks.Chunk chunk) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(bulk).header("X-API-Key", logdKey)
            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(chunk.bytes())).build();
        while (true) {
          HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
          if (resp.statusCode() == 200) {
            JsonNode body = json.readTree(resp.body());
            check(body.path("accepted").asLong() == chunk.lines() && body.path("rejected").isEmpty(),
                "logd did not accept every event: " + resp.body());
            return;
          }
          if (resp.statusCode() != 503 && resp.statusCode() != 429) {
            throw new IllegalStateException("logd answered " + resp.statusCode() + ": " + resp.body());
          }
          pushbacks[w]++;
          Thread.sleep(50); // backpressure: the index lag is at its cap
        }
      }
    });
    // Searchable: a count that only the index can answer (a NOT-only query is never read from the rollups).
    String all = "NOT service:no-such-service";
    while (hitsTotal(all) < events) {
      Thread.sleep(20);
    }
    double searchable = (System.nanoTime() - t0) / 1e9;
    while (overviewTotal() < events) {
      Thread.sleep(100);
    }
    double counted = (System.nanoTime() - t0) / 1e9;
    logdAckedRate = events / acked;
    logdSearchableRate = events / searchable;
    logdDiskLoaded = Retention.directorySize(logdData);
    logdWalLoaded = walBytes();
    System.out.printf("  all acked after %.1f s (%,.0f events/s), searchable after %.1f s (%,.0f events/s, %.1f MB/s),"
            + " counted in rollups after %.1f s; %d pushbacks; data dir %,d bytes (%,d of it RocksDB WAL)%n",
        acked, logdAckedRate, searchable, logdSearchableRate, rawBytes / searchable / 1e6, counted,
        Arrays.stream(pushbacks).sum(), logdDiskLoaded, logdWalLoaded);
    facts.put("logd_counted_s", String.format("%.1f", counted));
    facts.put("logd_pushbacks", Long.toString(Arrays.stream(pushbacks).sum()));
  }

  private long walBytes() throws IOException {
    try (Stream<Path> files = Files.list(logdData.resolve("store"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private String range() {
    return "from=" + enc(Instant.ofEpochSecond(0, startNanos).toString()) + "&to="
        + enc(Instant.ofEpochSecond(0, endNanos).toString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * One GET as a dashboard's backend would make it. {@code HttpURLConnection} (keep-alive, pooled
   * by the JDK) rather than {@code java.net.http.HttpClient}: on this machine the latter added 2 to
   * 3 ms to every request (measured against curl), which would be charged to logd.
   */
  private JsonNode get(String pathAndQuery) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(logdUrl + pathAndQuery).toURL().openConnection();
    c.setRequestProperty("X-API-Key", logdKey);
    int status = c.getResponseCode();
    try (InputStream in = status == 200 ? c.getInputStream() : c.getErrorStream()) {
      byte[] body = in == null ? new byte[0] : in.readAllBytes();
      if (status != 200) {
        throw new IllegalStateException(pathAndQuery + " answered " + status + ": " + new String(body, StandardCharsets.UTF_8));
      }
      return json.readTree(body);
    }
  }

  private long hitsTotal(String q) throws IOException {
    return get("/api/v1/logs/hits?step=1d&" + range() + "&q=" + enc(q)).path("total").asLong();
  }

  private long overviewTotal() throws IOException {
    return get("/api/v1/metrics/overview?" + range()).path("total").asLong();
  }

  // ------------------------------------------------------------------ questions

  /** One question's answer, reduced to what the other system's answer must equal. */
  private interface Ask {
    Object run() throws Exception;
  }

  /**
   * Waits (at most 3 minutes) until logd's process has used under 10 % of one core for 2 s in a row:
   * PostgreSQL's load ended with VACUUM ANALYZE and a checkpoint, so logd's merges and compactions
   * after its load should not run into the questions either.
   */
  private void settleLogd() throws Exception {
    String pid = opts.get("logd-pid");
    if (pid == null) {
      return;
    }
    long t0 = System.nanoTime();
    long quiet = 0;
    long last = cpuTicks(pid);
    while (quiet < 2 && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(3)) {
      Thread.sleep(1000);
      long now = cpuTicks(pid);
      quiet = now - last < 10 ? quiet + 1 : 0; // 100 ticks a second on Linux: 10 ticks is 10 % of a core
      last = now;
    }
    System.out.printf("logd settled (background merges and compactions done) %.0f s after its load%n",
        (System.nanoTime() - t0) / 1e9);
  }

  private static long cpuTicks(String pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime and stime
  }

  private void questions(Connection pg) throws Exception {
    settleLogd();
    OffsetDateTime from = OffsetDateTime.ofInstant(Instant.ofEpochSecond(0, startNanos), ZoneOffset.UTC);
    OffsetDateTime to = OffsetDateTime.ofInstant(Instant.ofEpochSecond(0, endNanos), ZoneOffset.UTC);
    String newest = "SELECT * FROM logs WHERE to_tsvector('simple', message) @@ %s('simple', ?) AND ts >= ? AND ts < ?"
        + " ORDER BY ts DESC LIMIT 100";
    question("newest 100 with the word '" + WORD + "'",
        () -> logdNewest(WORD), () -> pgNewest(pg, String.format(newest, "plainto_tsquery"), WORD, from, to), this::same);
    question("newest 100 with the phrase \"" + PHRASE + "\"",
        () -> logdNewest("\"" + PHRASE + "\""), () -> pgNewest(pg, String.format(newest, "phraseto_tsquery"), PHRASE, from, to),
        this::same);
    question("count per minute over 24 h", this::logdPerMinute, () -> {
      Map<Long, Long> out = new TreeMap<>();
      try (PreparedStatement ps = pg.prepareStatement("SELECT date_trunc('minute', ts) AS m, count(*) FROM logs"
          + " WHERE ts >= ? AND ts < ? GROUP BY m ORDER BY m")) {
        ps.setObject(1, from);
        ps.setObject(2, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(micros(rs.getObject(1, OffsetDateTime.class)), rs.getLong(2));
          }
        }
      }
      return out;
    }, this::same);
    question("top 10 source IPs over 24 h", this::logdTopIps, () -> {
      Map<String, Long> out = new LinkedHashMap<>();
      try (PreparedStatement ps = pg.prepareStatement("SELECT host(src_ip), count(*) AS n FROM logs"
          + " WHERE ts >= ? AND ts < ? AND src_ip IS NOT NULL GROUP BY src_ip ORDER BY n DESC LIMIT 10")) {
        ps.setObject(1, from);
        ps.setObject(2, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return out;
    }, this::sameTop);
    question("p99 latency per service over 24 h", this::logdP99, () -> {
      Map<String, Double> out = new TreeMap<>();
      try (PreparedStatement ps = pg.prepareStatement("SELECT service, percentile_disc(0.99) WITHIN GROUP"
          + " (ORDER BY latency_ms) FROM logs WHERE ts >= ? AND ts < ? AND latency_ms IS NOT NULL GROUP BY service")) {
        ps.setObject(1, from);
        ps.setObject(2, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getDouble(2));
          }
        }
      }
      return out;
    }, this::closeP99);
  }

  private interface Compare {
    String check(Object logd, Object pg);
  }

  /** The server-side {@code took_ms} of logd's searches in the current question. */
  private final List<Long> took = new ArrayList<>();

  private void question(String name, Ask logd, Ask pg, Compare compare) throws Exception {
    System.out.printf("question: %s%n", name);
    took.clear();
    for (int i = 0; i < warmup; i++) {
      logd.run();
      pg.run();
    }
    long[] l = new long[reps];
    long[] p = new long[reps];
    Object la = null;
    Object pa = null;
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      la = logd.run();
      l[i] = System.nanoTime() - t0;
      t0 = System.nanoTime();
      pa = pg.run();
      p[i] = System.nanoTime() - t0;
    }
    String agreement = compare.check(la, pa);
    if (!took.isEmpty()) {
      List<Long> sorted = took.stream().sorted().toList();
      System.out.printf("  logd's own took_ms: median %d, max %d%n", sorted.get(sorted.size() / 2), sorted.getLast());
    }
    double lm = percentile(l, 50);
    double pm = percentile(p, 50);
    System.out.printf("  logd median %.1f ms p99 %.1f ms; PostgreSQL median %.1f ms p99 %.1f ms; PostgreSQL/logd %.1fx;"
        + " answers: %s%n", lm, percentile(l, 99), pm, percentile(p, 99), pm / lm, agreement);
    table.add(new String[] {name, String.format("%s / %s ms", ms(lm), ms(percentile(l, 99))),
        String.format("%s / %s ms", ms(pm), ms(percentile(p, 99))), String.format("%.1fx", pm / lm), agreement});
  }

  private static String ms(double v) {
    return v < 10 ? String.format("%.2f", v) : v < 100 ? String.format("%.1f", v) : String.format("%,.0f", v);
  }

  /** The {@code p}th percentile of nanosecond samples, in ms (nearest rank). */
  private static double percentile(long[] nanos, double p) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, rank))] / 1e6;
  }

  private List<Long> logdNewest(String q) throws Exception {
    JsonNode body = get("/api/v1/logs?limit=100&" + range() + "&q=" + enc(q));
    took.add(body.path("took_ms").asLong());
    List<Long> times = new ArrayList<>();
    for (JsonNode e : body.path("events")) {
      times.add(micros(Instant.parse(e.path("timestamp").asText())));
    }
    return times;
  }

  private static List<Long> pgNewest(Connection pg, String sql, String text, OffsetDateTime from, OffsetDateTime to)
      throws SQLException {
    List<Long> times = new ArrayList<>();
    try (PreparedStatement ps = pg.prepareStatement(sql)) {
      ps.setString(1, text);
      ps.setObject(2, from);
      ps.setObject(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int c = 1; c <= cols; c++) {
            rs.getString(c); // read the whole row, as logd's answer carries the whole event
          }
          times.add(micros(rs.getObject("ts", OffsetDateTime.class)));
        }
      }
    }
    return times;
  }

  private Map<Long, Long> logdPerMinute() throws Exception {
    JsonNode body = get("/api/v1/logs/hits?step=1m&" + range());
    Map<Long, Long> out = new TreeMap<>();
    for (JsonNode b : body.path("buckets")) {
      if (b.path("count").asLong() > 0) {
        out.put(micros(Instant.parse(b.path("t").asText())), b.path("count").asLong());
      }
    }
    return out;
  }

  private Map<String, Long> logdTopIps() throws Exception {
    JsonNode body = get("/api/v1/metrics/top?dimension=source_ip&limit=10&" + range());
    Map<String, Long> out = new LinkedHashMap<>();
    for (JsonNode item : body.path("items")) {
      out.put(item.path("value").asText(), item.path("count").asLong());
    }
    return out;
  }

  /** The services from the rollups, then one latency call per service: the API has no "by service" form. */
  private Map<String, Double> logdP99() throws Exception {
    JsonNode services = get("/api/v1/metrics/top?dimension=service&limit=100&" + range());
    Map<String, Double> out = new TreeMap<>();
    for (JsonNode item : services.path("items")) {
      String service = item.path("value").asText();
      JsonNode l = get("/api/v1/metrics/latency?service=" + enc(service) + "&" + range());
      if (l.path("count").asLong() > 0) {
        out.put(service, l.path("p99").asDouble());
      }
    }
    return out;
  }

  private String same(Object logd, Object pg) {
    return logd.equals(pg) ? "same" : "DIFFER (logd " + summary(logd) + ", PostgreSQL " + summary(pg) + ")";
  }

  private static String summary(Object o) {
    return o instanceof java.util.Collection<?> c ? c.size() + " items" : o instanceof Map<?, ?> m ? m.size() + " keys" : "?";
  }

  @SuppressWarnings("unchecked")
  private String sameTop(Object logd, Object pg) {
    Map<String, Long> l = (Map<String, Long>) logd;
    Map<String, Long> p = (Map<String, Long>) pg;
    Set<String> both = new HashSet<>(l.keySet());
    both.retainAll(p.keySet());
    long exact = both.stream().filter(ip -> l.get(ip).equals(p.get(ip))).count();
    double worst = both.stream().mapToDouble(ip -> Math.abs(l.get(ip) - p.get(ip)) / (double) p.get(ip)).max().orElse(0);
    return both.size() + "/10 same IPs" + (l.keySet().stream().toList().equals(p.keySet().stream().toList())
        ? " in the same order" : "") + ", " + exact + " with the exact count"
        + (exact < both.size() ? String.format(" (logd's counts are lower bounds, at most %.1f %% under)", worst * 100) : "");
  }

  @SuppressWarnings("unchecked")
  private String closeP99(Object logd, Object pg) {
    Map<String, Double> l = (Map<String, Double>) logd;
    Map<String, Double> p = (Map<String, Double>) pg;
    double worst = 0;
    String worstService = "";
    List<Double> diffs = new ArrayList<>();
    for (Map.Entry<String, Double> e : p.entrySet()) {
      Double v = l.get(e.getKey());
      if (v == null) {
        return "logd lacks service " + e.getKey();
      }
      double d = Math.abs(v - e.getValue()) / e.getValue();
      diffs.add(d);
      if (d > worst) {
        worst = d;
        worstService = String.format("%s: logd %.1f ms, PostgreSQL %.1f ms", e.getKey(), v, e.getValue());
      }
    }
    diffs.sort(null);
    return p.size() + " services, " + (l.size() == p.size() ? "same services" : l.size() + " in logd")
        + String.format(", p99 differs by %.1f %% at the median service, at most %.1f %% (%s)",
            diffs.isEmpty() ? 0.0 : diffs.get(diffs.size() / 2) * 100, worst * 100, worstService);
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  private static long micros(OffsetDateTime t) {
    return micros(t.toInstant());
  }

  // ------------------------------------------------------------------ disk and report

  private void disk(Connection pg) throws Exception {
    long table = Long.parseLong(scalar(pg, "SELECT pg_total_relation_size('logs')"));
    long heap = Long.parseLong(scalar(pg, "SELECT pg_table_size('logs')"));
    long indexes = Long.parseLong(scalar(pg, "SELECT pg_indexes_size('logs')"));
    long gin = Long.parseLong(scalar(pg, "SELECT pg_relation_size('logs_message')"));
    long wal = Long.parseLong(scalar(pg, "SELECT coalesce(sum(size), 0) FROM pg_ls_waldir()"));
    long logd = Retention.directorySize(logdData);
    long store = Retention.directorySize(logdData.resolve("store"));
    long index = Retention.directorySize(logdData.resolve("index"));
    long logdWal = walBytes();
    System.out.printf("disk: PostgreSQL logs %,d bytes (heap+TOAST %,d, indexes %,d of which GIN %,d; pg_wal %,d apart);"
            + " logd data dir %,d bytes right after the load (%,d WAL), %,d now (store %,d, index %,d, %,d of it WAL)%n",
        table, heap, indexes, gin, wal, logdDiskLoaded, logdWalLoaded, logd, store, index, logdWal);
    this.table.add(new String[] {"disk, after the load and the questions", String.format("%,d MB (%.0f B/event, %.2fx raw)",
        logd / 1_000_000, (double) logd / events, (double) logd / rawBytes), String.format("%,d MB (%.0f B/row, %.2fx raw)",
        table / 1_000_000, (double) table / events, (double) table / rawBytes), String.format("%.2fx", (double) table / logd),
        String.format("logd: store %,d MB + index %,d MB (RocksDB WAL %,d MB of it); PostgreSQL: heap %,d MB + indexes %,d MB"
            + " (GIN %,d MB), pg_wal %,d MB not counted", store / 1_000_000, index / 1_000_000, logdWal / 1_000_000,
        heap / 1_000_000, indexes / 1_000_000, gin / 1_000_000, wal / 1_000_000)});
    long logdNoWal = logd - logdWal;
    this.table.add(new String[] {"disk without write-ahead logs", String.format("%,d MB (%.0f B/event, %.2fx raw)",
        logdNoWal / 1_000_000, (double) logdNoWal / events, (double) logdNoWal / rawBytes),
        String.format("%,d MB", table / 1_000_000), String.format("%.2fx", (double) table / logdNoWal),
        "logd's data dir less its RocksDB WAL files; pg_total_relation_size never counts pg_wal"});
  }

  private void report() {
    System.out.printf("%n== logd vs PostgreSQL: %,d events (%s, seed %d), raw NDJSON %,d bytes (%.0f B/event), %d connections%n%n",
        events, dataset, seed, rawBytes, (double) rawBytes / events, connections);
    System.out.println("| | logd | PostgreSQL | PostgreSQL / logd | notes |");
    System.out.println("|---|---|---|---|---|");
    System.out.printf("| ingest, durable, until searchable | %,.0f events/s | COPY: %,.0f rows/s | logd %.1fx COPY | "
            + "logd: HTTP NDJSON, %d-event bodies, acked after %,.0f/s; PostgreSQL COPY blocks of %d rows, VACUUM ANALYZE %s s"
            + " after |%n", logdSearchableRate, copyRate, logdSearchableRate / copyRate, batch, logdAckedRate, copyBatch,
        facts.get("pg_copy_vacuum_s"));
    if (insertRate > 0) {
      System.out.printf("| ingest, batched INSERT | | %,.0f rows/s | logd %.1fx INSERT | %d rows/statement%s; that table"
              + " took %,d MB |%n", insertRate, logdSearchableRate / insertRate, batch,
          insertRows < events ? String.format(", first %,d rows only", insertRows) : "", insertBytes / 1_000_000);
    }
    for (String[] row : table) {
      System.out.printf("| %s | %s | %s | %s | %s |%n", row[0], row[1], row[2], row[3], row.length > 4 ? row[4] : "");
    }
    System.out.println("\nQuery cells: median / p99 of the timed repetitions; the ratio is of the medians.");
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
