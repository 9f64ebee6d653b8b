package io.logd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code logd stats}: totals, error rate and latency of a span, then counts by a dimension with a
 * sparkline of each over time, all from the rollups ({@code /api/v1/metrics}).
 */
@Command(name = "stats", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Event counts, errors and latency over a span, by level, service, host or status.", "",
        "Examples:",
        "  logd stats --since 1h --by service",
        "  logd stats --since 7d --step 1h -o json"})
final class StatsCommand implements Callable<Integer> {
  static final String SPARKS = "▁▂▃▄▅▆▇█";
  /** Most sparkline characters; more buckets are summed pairwise into fewer. */
  static final int SPARK_WIDTH = 48;

  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Mixin OutputOptions output;
  @Mixin TimeOptions time;

  @Option(names = "--by", paramLabel = "DIM", defaultValue = "level",
      description = "level, service, host or status (by class). Default: level")
  String by;

  @Option(names = "--step", paramLabel = "STEP",
      description = "Bucket of the trend: 1m, 5m, 1h, 1d, ... Default: about 48 buckets over the span")
  String step;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "10",
      description = "Most keys to list; the rest are summed as (other). Default: 10")
  int limit;

  @Override
  public Integer call() {
    if (!by.matches("level|service|host|status")) {
      throw new ParameterException(spec.commandLine(), "--by: expected level, service, host or status, got '" + by + "'");
    }
    ApiClient api = client.connect();
    Map<String, String> span = new LinkedHashMap<>();
    span.put("from", time.from("-24h"));
    span.put("to", time.to());
    JsonNode overview = ApiClient.require(api.get("/api/v1/metrics/overview", span), null).json();
    long minutes = Math.max(1, (Instant.parse(overview.path("to").asText()).getEpochSecond()
        - Instant.parse(overview.path("from").asText()).getEpochSecond()) / 60);
    Map<String, String> params = new LinkedHashMap<>(span);
    params.put("step", step != null ? step : autoStep(minutes));
    params.put("by", by);
    params.put("limit", Integer.toString(limit));
    JsonNode series = ApiClient.require(api.get("/api/v1/metrics/timeseries", params), null).json();
    PrintWriter out = spec.commandLine().getOut();
    switch (output.format()) {
      case JSON, RAW -> {
        ObjectNode both = ApiClient.JSON.createObjectNode();
        both.set("overview", overview);
        both.set("timeseries", series);
        out.println(both);
      }
      case TABLE -> printTable(out, overview, series);
    }
    out.flush();
    return Main.EXIT_OK;
  }

  /** A step giving about {@link #SPARK_WIDTH} buckets over the span, from a few round sizes. */
  static String autoStep(long minutes) {
    long[] steps = {1, 5, 15, 30, 60, 180, 360, 720, 1440};
    String[] names = {"1m", "5m", "15m", "30m", "1h", "3h", "6h", "12h", "1d"};
    for (int i = 0; i < steps.length; i++) {
      if (minutes / steps[i] <= SPARK_WIDTH) {
        return names[i];
      }
    }
    return "1d";
  }

  private void printTable(PrintWriter out, JsonNode o, JsonNode series) {
    out.println("span      " + EventPrinter.minutes(o.path("from").asText(), output.zone()) + " → "
        + EventPrinter.minutes(o.path("to").asText(), output.zone()) + (output.utc ? " UTC" : ""));
    long total = o.path("total").asLong();
    out.printf(Locale.ROOT, "events    %,d (%s a minute)%n", total, number(o.path("events_per_minute").asDouble()));
    out.printf(Locale.ROOT, "errors    %,d (%.2f%%)%n", o.path("errors").asLong(), o.path("error_rate").asDouble() * 100);
    out.println("bytes     " + bytes(o.path("bytes").asLong()));
    JsonNode lat = o.path("latency_ms");
    out.println("latency   " + (lat.path("p50").isNull() ? "-"
        : "p50 " + ms(lat.path("p50")) + "  p95 " + ms(lat.path("p95")) + "  p99 " + ms(lat.path("p99"))));
    out.println();
    Table t = new Table(by.toUpperCase(Locale.ROOT), "EVENTS", "SHARE", "TREND (" + series.path("step").asText() + ")")
        .rightAligned(1, 2);
    for (JsonNode s : series.path("series")) {
      long[] points = new long[s.path("points").size()];
      long sum = 0;
      for (int i = 0; i < points.length; i++) {
        points[i] = s.path("points").get(i).get(1).asLong();
        sum += points[i];
      }
      if (sum == 0) {
        continue;
      }
      String key = s.path("key").asText();
      String colour = by.equals("level") && output.colour() ? EventPrinter.levelColour(key) : null;
      t.add(colour == null ? key : colour + key + EventPrinter.RESET, String.format(Locale.ROOT, "%,d", sum),
          String.format(Locale.ROOT, "%.1f%%", total == 0 ? 0.0 : 100.0 * sum / total), sparkline(points));
    }
    if (t.isEmpty()) {
      out.println("no events in this span");
    } else {
      t.print(out);
    }
  }

  /** A sparkline of at most {@link #SPARK_WIDTH} characters, scaled to its own maximum. */
  static String sparkline(long[] points) {
    long[] p = points;
    while (p.length > SPARK_WIDTH) {
      long[] half = new long[(p.length + 1) / 2];
      for (int i = 0; i < p.length; i++) {
        half[i / 2] += p[i];
      }
      p = half;
    }
    long max = 0;
    for (long v : p) {
      max = Math.max(max, v);
    }
    StringBuilder sb = new StringBuilder(p.length);
    for (long v : p) {
      sb.append(v == 0 ? ' ' : SPARKS.charAt((int) Math.min(SPARKS.length() - 1, (v * SPARKS.length() - 1) / max)));
    }
    return sb.toString();
  }

  static String number(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  static String ms(JsonNode v) {
    double d = v.asDouble();
    return (d >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.1f", d)) + " ms";
  }

  static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
