package io.logd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code logd export}: every matching event as NDJSON or CSV, streamed from the server to stdout or
 * a file in constant memory. A file is written beside its final name and renamed when complete, so
 * an interrupted export never leaves a file that looks whole.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Export matching events as NDJSON or CSV, to stdout or a file.", "",
        "Examples:",
        "  logd export 'service:api' --since 24h -o api.ndjson",
        "  logd export --from 2026-11-01T00:00:00Z --to 2026-11-02T00:00:00Z --format csv > day.csv"})
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Mixin TimeOptions time;

  @Parameters(paramLabel = "QUERY", arity = "0..1", description = "Lucene query; empty for everything.")
  String query;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "ndjson", description = "ndjson or csv. Default: ndjson")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
  Path file;

  @Option(names = "--order", paramLabel = "ORDER", defaultValue = "asc", description = "asc or desc. Default: asc")
  String order;

  @Option(names = "--no-progress", description = "Do not show progress (shown only on a terminal).")
  boolean noProgress;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("ndjson") && !format.equals("csv")) {
      throw new ParameterException(spec.commandLine(), "--format: expected ndjson or csv, got '" + format + "'");
    }
    if (!order.equals("asc") && !order.equals("desc")) {
      throw new ParameterException(spec.commandLine(), "--order: expected asc or desc, got '" + order + "'");
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("q", query);
    params.put("from", time.from(null));
    params.put("to", time.to());
    params.put("format", format);
    params.put("order", order);
    Progress progress = new Progress(spec.commandLine().getErr(),
        !noProgress && file != null && Main.context(spec).terminal());
    progress.start(file == null ? "export" : file.getFileName().toString(), 0, null);
    long lines;
    try (InputStream in = client.connect().stream("/api/v1/logs/export", params, query)) {
      if (file == null) {
        PrintWriter out = spec.commandLine().getOut();
        lines = copy(new InputStreamReader(in, StandardCharsets.UTF_8), out, progress);
        out.flush();
      } else {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (OutputStream os = Files.newOutputStream(tmp);
            Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)) {
          lines = copy(new InputStreamReader(in, StandardCharsets.UTF_8), w, progress);
        } catch (IOException e) {
          Files.deleteIfExists(tmp);
          throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new CliException("export failed: " + e.getMessage(), e);
    }
    progress.done();
    if (file != null) {
      long events = format.equals("csv") ? Math.max(0, lines - 1) : lines;
      spec.commandLine().getErr().printf("logd: exported %,d events to %s%n", events, file);
      spec.commandLine().getErr().flush();
    }
    return Main.EXIT_OK;
  }

  private static long copy(Reader in, Writer out, Progress progress) throws IOException {
    char[] buf = new char[1 << 16];
    long lines = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      out.write(buf, 0, n);
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          lines++;
        }
      }
      progress.update(lines, "lines");
    }
    return lines;
  }
}
