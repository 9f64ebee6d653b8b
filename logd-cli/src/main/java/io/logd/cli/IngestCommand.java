package io.logd.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Times;
import io.logd.parse.EventReader;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code logd ingest}: imports log files through the HTTP API. Lines are parsed here, with the
 * same parsers as the syslog listeners, and shipped as NDJSON batches to {@code /api/v1/logs/bulk};
 * 429 and 503 answers are retried with backoff.
 *
 * <p>Importing is idempotent per file: every event carries {@code import_id} (a hash of the file's
 * bytes) and {@code import_line}. A file whose events are all stored already is skipped, and an
 * import that was interrupted resumes after the lines already stored. Standard input has no such
 * identity and is imported every time.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Import log files (plain or gzip) or standard input into logd over HTTP.",
      "",
      "Each line becomes one event. --format auto reads syslog headers, nginx",
      "access lines, JSON (bare or @cee:), logfmt and xray-core access lines,",
      "line by line, and keeps other lines as text. A line that does not fit a",
      "format you chose is kept as text with a parse_error field and reported as",
      "FILE:LINE. Events without a time of their own get the time of the import.",
      "",
      "Importing a file again is predictable: events carry import_id (a hash of",
      "the file) and import_line; a file stored whole already is skipped, and an",
      "interrupted import resumes where it stopped. --force imports it again.",
      "Standard input is imported every time.",
      ""
    },
    footerHeading = "%n",
    footer = {
      "Exit codes: 0 every line stored as parsed; 1 some lines were rejected or",
      "kept as text with parse_error (each is listed on stderr), or an error;",
      "2 usage.",
      "",
      "Examples:",
      "  logd ingest access.log access.log.1.gz --format nginx --host web-1",
      "  journalctl -o short-iso | logd ingest - --format syslog"
    })
final class IngestCommand implements Callable<Integer> {
  /** Events per request; with typical lines a batch is about 1–2 MB of NDJSON. */
  static final int DEFAULT_BATCH = 5_000;
  /** A batch is sent early once its NDJSON reaches this size. */
  private static final int MAX_BATCH_BYTES = 8 << 20;
  /** Most bad lines listed one by one; the rest are only counted. */
  private static final int MAX_LISTED = 100;
  private static final long MAX_BACKOFF_MS = 30_000;
  /** How long to keep retrying one batch the server keeps refusing with 429 or 503. */
  private static final long GIVE_UP_MS = 10 * 60_000;

  @Spec CommandSpec spec;

  @Mixin ClientOptions client;

  @Parameters(paramLabel = "FILE", arity = "1..*",
      description = "Files to import, plain or gzip (detected by content); - reads standard input.")
  List<String> files;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "How lines are read: auto, syslog, nginx, json, logfmt, xray or raw. Default: auto")
  String format;

  @Option(names = "--service", paramLabel = "S", description = "Service for events whose line names none.")
  String service;

  @Option(names = "--host", paramLabel = "H", description = "Host for events whose line names none.")
  String host;

  @Option(names = "--timezone", paramLabel = "ZONE", defaultValue = "UTC",
      description = "Zone of timestamps without an offset (RFC 3164, xray): a zone ID or 'local'. Default: UTC")
  String timezone;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "" + DEFAULT_BATCH,
      description = "Events per request. Default: " + DEFAULT_BATCH)
  int batch;

  @Option(names = "--force", description = "Import files again even when their events are stored already.")
  boolean force;

  @Option(names = "--no-progress", description = "Do not show the progress bar (shown only on a terminal).")
  boolean noProgress;

  private PrintWriter out;
  private PrintWriter err;
  private ApiClient api;
  private Progress progress;
  private int listed;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    EventReader.LineFormat lineFormat = EventReader.LineFormat.parse(format);
    if (lineFormat == null) {
      throw new ParameterException(spec.commandLine(),
          "--format: expected auto, syslog, nginx, json, logfmt, xray or raw, got '" + format + "'");
    }
    if (batch < 1 || batch > 100_000) {
      throw new ParameterException(spec.commandLine(), "--batch: expected 1..100000, got " + batch);
    }
    ZoneId zone;
    try {
      zone = timezone.equalsIgnoreCase("local") ? ZoneId.systemDefault() : ZoneId.of(timezone);
    } catch (DateTimeException e) {
      throw new ParameterException(spec.commandLine(), "--timezone: unknown zone '" + timezone + "'");
    }
    for (String f : files) {
      if (!f.equals("-") && !Files.isReadable(Path.of(f))) {
        throw new CliException(f + ": no such file, or it is not readable");
      }
    }
    api = client.connect();
    progress = new Progress(err, !noProgress && Main.context(spec).terminal());

    Totals all = new Totals();
    for (String f : files) {
      EventReader reader = EventReader.lines(lineFormat, zone, Clock.systemUTC(), host, service);
      Totals t = f.equals("-") ? importStream(reader, "-", System.in, null, 0, -1) : importFile(reader, Path.of(f));
      all.add(t);
    }
    progress.done();
    out.printf(Locale.ROOT, "imported %,d events from %d %s (%,d lines: %,d already stored, %,d empty, "
            + "%,d kept as text with parse_error, %,d rejected)%n",
        all.stored, files.size(), files.size() == 1 ? "input" : "inputs", all.lines, all.skipped, all.empty,
        all.parseErrors, all.rejected);
    out.flush();
    return all.rejected + all.parseErrors == 0 ? Main.EXIT_OK : Main.EXIT_ERROR;
  }

  private Totals importFile(EventReader reader, Path file) throws IOException {
    String importId;
    long size;
    try {
      size = Files.size(file);
      importId = hash(file);
    } catch (NoSuchFileException e) {
      throw new CliException(file + ": no such file");
    }
    long already = force ? 0 : storedCount(importId);
    try (InputStream in = Files.newInputStream(file)) {
      return importStream(reader, file.toString(), in, importId, already, size);
    }
  }

  /**
   * Ships one input. {@code skip} lines with events (not empty ones) are passed over because the
   * server has their events already.
   */
  private Totals importStream(EventReader reader, String name, InputStream raw, String importId, long skip,
      long size) throws IOException {
    Totals t = new Totals();
    CountingInputStream counted = new CountingInputStream(raw);
    InputStream in = decompress(new BufferedInputStream(counted, 1 << 16));
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
    progress.start(name, size, counted == null ? null : counted::count);
    Batch b = new Batch();
    long lineNo = 0;
    long withEvents = 0;
    for (String line; (line = lines.readLine()) != null; ) {
      lineNo++;
      t.lines++;
      if (line.isBlank()) {
        t.empty++;
        continue;
      }
      withEvents++;
      if (withEvents <= skip) {
        t.skipped++;
        continue;
      }
      LogEvent event = reader.read(line, LogEvent.toNanos(Instant.now()));
      FieldValue parseError = event.fields().get(EventReader.PARSE_ERROR);
      if (parseError != null) {
        t.parseErrors++;
        report(name, lineNo, "kept as text: " + text(parseError));
      }
      b.add(event, lineNo, importId);
      if (b.lines.size() >= batch || b.size() >= MAX_BATCH_BYTES) {
        ship(name, b, t);
        b = new Batch();
      }
      progress.update(t.stored + b.lines.size());
    }
    if (!b.lines.isEmpty()) {
      ship(name, b, t);
    }
    if (skip > 0 && t.skipped == withEvents) {
      progress.note(name + ": already imported (" + skip + " events with import_id " + importId
          + "); use --force to import it again");
    } else if (skip > 0) {
      progress.note(name + ": resumed after " + skip + " events stored by an earlier import");
    }
    return t;
  }

  /** Sends a batch, retrying 429 and 503 with backoff, and reports the lines the server rejected. */
  private void ship(String name, Batch b, Totals t) throws IOException {
    byte[] body = b.body();
    long backoff = 200;
    long started = System.nanoTime();
    while (true) {
      ApiClient.Answer a = api.post("/api/v1/logs/bulk", "application/x-ndjson", body);
      if (a.ok()) {
        JsonNode answer = a.json();
        t.stored += answer.path("accepted").asLong();
        for (JsonNode r : answer.path("rejected")) {
          int i = r.path("index").asInt(-1);
          long line = i >= 0 && i < b.lines.size() ? b.lines.get(i) : -1;
          t.rejected++;
          report(name, line, "rejected: " + r.path("error").asText());
        }
        return;
      }
      if (a.status() != 429 && a.status() != 503) {
        throw new CliException(name + ": the server refused a batch of " + b.lines.size() + " events from line "
            + b.lines.get(0) + " (" + a.status() + "): " + a.errorMessage());
      }
      if (System.nanoTime() - started > GIVE_UP_MS * 1_000_000) {
        throw new CliException(name + ": the server has refused a batch for 10 minutes (" + a.status() + "): "
            + a.errorMessage() + "; run the same command again later to resume");
      }
      long wait = a.retryAfterSeconds() > 0 ? Math.min(MAX_BACKOFF_MS, a.retryAfterSeconds() * 1000) : backoff;
      progress.note(name + ": server busy (" + a.status() + "), retrying in " + wait + " ms");
      sleep(wait);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }

  /** How many events of this file the server has: they were imported before. */
  private long storedCount(String importId) {
    ApiClient.Answer a = api.get("/api/v1/logs/hits", Map.of("q", "import_id:" + importId, "step", "1d"));
    if (!a.ok()) {
      throw new CliException("cannot ask the server for earlier imports (" + a.status() + "): " + a.errorMessage());
    }
    return a.json().path("total").asLong();
  }

  private void report(String name, long line, String what) {
    if (listed++ < MAX_LISTED) {
      progress.note(name + ":" + (line >= 0 ? line : "?") + ": " + what);
    } else if (listed == MAX_LISTED + 1) {
      progress.note("(more bad lines are counted but not listed)");
    }
  }

  private static String text(FieldValue v) {
    return v instanceof FieldValue.StringValue s ? s.value() : String.valueOf(v);
  }

  private static InputStream decompress(BufferedInputStream in) throws IOException {
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /** The import identity of a file: the first 16 bytes of the SHA-256 of its bytes, in hex. */
  static String hash(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", e);
    }
  }

  /** Counts of one input, or of all. */
  private static final class Totals {
    long lines;
    long empty;
    long skipped;
    long stored;
    long parseErrors;
    long rejected;

    void add(Totals o) {
      lines += o.lines;
      empty += o.empty;
      skipped += o.skipped;
      stored += o.stored;
      parseErrors += o.parseErrors;
      rejected += o.rejected;
    }
  }

  /** NDJSON of events in the ingest shape, with the line number of each. */
  private static final class Batch {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    final List<Long> lines = new ArrayList<>();
    /** One generator for the whole batch; it buffers, so {@link #body()} flushes it. */
    private final JsonGenerator g;

    Batch() throws IOException {
      g = ApiClient.JSON.getFactory().createGenerator(bytes, JsonEncoding.UTF8);
      g.setRootValueSeparator(null); // lines are separated by the '\n' written after each event
    }

    /** The NDJSON so far. */
    byte[] body() throws IOException {
      g.flush();
      return bytes.toByteArray();
    }

    /** Bytes written so far (approximate: the generator's buffer is not counted). */
    int size() {
      return bytes.size();
    }

    void add(LogEvent e, long line, String importId) throws IOException {
      lines.add(line);
      g.writeStartObject();
      g.writeStringField("timestamp", Times.format(e.timestampNanos()));
      if (e.host() != null) {
        g.writeStringField("host", e.host());
      }
      if (e.service() != null) {
        g.writeStringField("service", e.service());
      }
      if (e.level() != null) {
        g.writeStringField("level", e.level().canonicalName());
      }
      if (e.facility() != null) {
        g.writeStringField("facility", e.facility().keyword());
      }
      g.writeStringField("message", e.message());
      if (!e.tags().isEmpty()) {
        g.writeArrayFieldStart("tags");
        for (String tag : e.tags()) {
          g.writeString(tag);
        }
        g.writeEndArray();
      }
      for (Map.Entry<String, FieldValue> f : e.fields().entrySet()) {
        g.writeFieldName(f.getKey());
        write(g, f.getValue());
      }
      if (importId != null) {
        g.writeStringField("import_id", importId);
        g.writeNumberField("import_line", line);
      }
      g.writeEndObject();
      g.writeRaw('\n');
    }

    private static void write(JsonGenerator g, FieldValue v) throws IOException {
      switch (v) {
        case FieldValue.StringValue s -> g.writeString(s.value());
        case FieldValue.LongValue l -> g.writeNumber(l.value());
        case FieldValue.DoubleValue d -> g.writeNumber(d.value());
        case FieldValue.BoolValue b -> g.writeBoolean(b.value());
        case FieldValue.ListValue list -> {
          g.writeStartArray();
          for (FieldValue item : list.values()) {
            write(g, item);
          }
          g.writeEndArray();
        }
      }
    }
  }

  /** Counts the compressed bytes read, for progress through gzip files. */
  static final class CountingInputStream extends java.io.FilterInputStream {
    private volatile long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
