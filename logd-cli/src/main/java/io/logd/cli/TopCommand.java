package io.logd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logd top DIMENSION}: the most frequent values of a dimension, from the rollups. */
@Command(name = "top", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The most frequent values of source_ip, path, dest_port, service, host, status or level.", "",
        "Examples:",
        "  logd top source_ip --since 1h",
        "  logd top path --since 7d --limit 20 -o json"})
final class TopCommand implements Callable<Integer> {
  private static final int BAR = 30;

  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Mixin OutputOptions output;
  @Mixin TimeOptions time;

  @Parameters(paramLabel = "DIMENSION", description = "source_ip, path, dest_port, service, host, status or level")
  String dimension;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "10", description = "Values to list. Default: 10")
  int limit;

  @Override
  public Integer call() {
    if (!dimension.matches("source_ip|path|dest_port|service|host|status|level")) {
      throw new ParameterException(spec.commandLine(),
          "DIMENSION: expected source_ip, path, dest_port, service, host, status or level, got '" + dimension + "'");
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("dimension", dimension);
    params.put("from", time.from("-24h"));
    params.put("to", time.to());
    params.put("limit", Integer.toString(limit));
    JsonNode top = ApiClient.require(client.connect().get("/api/v1/metrics/top", params), null).json();
    PrintWriter out = spec.commandLine().getOut();
    JsonNode items = top.path("items");
    switch (output.format()) {
      case JSON -> items.forEach(i -> out.println(i.toString()));
      case RAW -> items.forEach(i -> out.println(i.path("value").asText() + "\t" + i.path("count").asLong()));
      case TABLE -> {
        long events = top.path("events").asLong();
        long max = items.isEmpty() ? 0 : items.get(0).path("count").asLong();
        Table t = new Table(dimension.toUpperCase(Locale.ROOT), "EVENTS", "SHARE", "").rightAligned(1, 2);
        for (JsonNode i : items) {
          long c = i.path("count").asLong();
          t.add(i.path("value").asText(), String.format(Locale.ROOT, "%,d", c),
              String.format(Locale.ROOT, "%.1f%%", events == 0 ? 0.0 : 100.0 * c / events),
              "█".repeat((int) Math.max(c > 0 ? 1 : 0, max == 0 ? 0 : c * BAR / max)));
        }
        if (t.isEmpty()) {
          out.println("no " + dimension + " values in this span");
        } else {
          t.print(out);
        }
        long maxError = top.path("max_error").asLong();
        if (maxError > 0) {
          out.printf(Locale.ROOT, "counts are from a top-K summary: each is at most %,d below the true count%n", maxError);
        }
      }
    }
    out.flush();
    return Main.EXIT_OK;
  }
}
