package io.logd.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logd.engine.Logd;
import io.logd.event.Times;
import io.logd.query.TimeRange;
import io.logd.rollup.Rollup;
import io.logd.rollup.RollupSet;
import io.logd.rollup.Section;
import io.logd.rollup.TopK;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The metrics endpoints ({@code /api/v1/metrics/*}), answered from the rollups only. They count
 * whole minutes: {@code from} is rounded down and {@code to} up to the minute; without them the
 * span is the last 24 hours.
 */
final class MetricsApi {
  private static final long MINUTE_NANOS = 60_000_000_000L;
  private static final long DEFAULT_SPAN_MINUTES = 24 * 60;
  private static final int MAX_POINTS = 100_000;
  private static final String OTHER = "(other)";

  private final Logd logd;

  MetricsApi(Logd logd) {
    this.logd = logd;
  }

  private RollupSet rollups() throws BadParam {
    return logd.rollups().orElseThrow(() -> new BadParam(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND,
        "rollups are turned off (rollups.enabled: false), so there are no metrics"));
  }

  /** {@code [fromMinute, toMinute)} of the request. */
  private static long[] minutes(QueryStringDecoder qs) throws BadParam {
    TimeRange range = HttpApi.range(qs);
    long now = Math.ceilDiv(io.logd.event.LogEvent.toNanos(java.time.Instant.now()), MINUTE_NANOS);
    long to = range.toNanos() == Long.MAX_VALUE ? now : Math.ceilDiv(range.toNanos(), MINUTE_NANOS);
    long from = HttpApi.param(qs, "from") == null ? to - DEFAULT_SPAN_MINUTES : Math.floorDiv(range.fromNanos(), MINUTE_NANOS);
    if (to <= from) {
      to = from + 1;
    }
    return new long[] {from, to};
  }

  private static ObjectNode body(long[] span) {
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    body.put("from", Times.format(span[0] * MINUTE_NANOS));
    body.put("to", Times.format(span[1] * MINUTE_NANOS));
    return body;
  }

  /** {@code GET /api/v1/metrics/overview?from=&to=}. */
  FullHttpResponse overview(int tenant, QueryStringDecoder qs) throws BadParam, IOException {
    RollupSet rollups = rollups();
    long[] span = minutes(qs);
    Rollup r = rollups.aggregate(tenant, span[0], span[1], EnumSet.of(Section.COUNTS, Section.LEVEL, Section.LATENCY));
    ObjectNode body = body(span);
    body.put("total", r.total());
    body.put("errors", r.errors());
    body.put("error_rate", r.total() == 0 ? 0.0 : (double) r.errors() / r.total());
    body.put("bytes", r.bytes());
    body.put("events_per_minute", (double) r.total() / (span[1] - span[0]));
    Histogram h = r.latency();
    ObjectNode latency = body.putObject("latency_ms");
    putPercentile(latency, "p50", h, 50);
    putPercentile(latency, "p95", h, 95);
    putPercentile(latency, "p99", h, 99);
    ObjectNode byLevel = body.putObject("by_level");
    r.counts(Section.LEVEL).forEach(byLevel::put);
    if (r.overflow(Section.LEVEL) > 0) {
      byLevel.put(OTHER, r.overflow(Section.LEVEL));
    }
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  /** {@code GET /api/v1/metrics/timeseries?from=&to=&step=1m&by=level|service|host|status&limit=10}. */
  FullHttpResponse timeseries(int tenant, QueryStringDecoder qs) throws BadParam, IOException {
    RollupSet rollups = rollups();
    long[] span = minutes(qs);
    String stepText = Optional.ofNullable(HttpApi.param(qs, "step")).orElse("1m");
    long stepNanos = HttpApi.stepNanos(stepText);
    if (stepNanos % MINUTE_NANOS != 0) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "step: metrics count whole minutes; use 1m, 5m, 1h, 1d or another whole number of minutes");
    }
    long step = stepNanos / MINUTE_NANOS;
    long first = Math.floorDiv(span[0], step) * step;
    if (Math.ceilDiv(span[1] - first, step) > MAX_POINTS) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "step: more than " + MAX_POINTS + " points; use a larger step");
    }
    String by = HttpApi.param(qs, "by");
    Section section = by == null ? Section.COUNTS : switch (by) {
      case "level" -> Section.LEVEL;
      case "service" -> Section.SERVICE;
      case "host" -> Section.HOST;
      case "status" -> Section.STATUS;
      default -> throw new BadParam(HttpResponses.BAD_REQUEST,
          "by: expected level, service, host or status, got '" + HttpResponses.clip(by) + "'");
    };
    int limit = HttpApi.intParam(qs, "limit", 10, 1, 100);
    List<Rollup> buckets = rollups.series(tenant, span[0], span[1], step, EnumSet.of(section));

    // key -> count per bucket; status is bucketed by class
    Map<String, long[]> series = new LinkedHashMap<>();
    for (int i = 0; i < buckets.size(); i++) {
      Rollup r = buckets.get(i);
      if (section == Section.COUNTS) {
        series.computeIfAbsent("total", k -> new long[buckets.size()])[i] = r.total();
        continue;
      }
      for (Map.Entry<String, Long> e : r.counts(section).entrySet()) {
        String key = section == Section.STATUS ? statusClass(e.getKey()) : e.getKey();
        series.computeIfAbsent(key, k -> new long[buckets.size()])[i] += e.getValue();
      }
      if (r.overflow(section) > 0) {
        series.computeIfAbsent(OTHER, k -> new long[buckets.size()])[i] += r.overflow(section);
      }
    }
    List<Map.Entry<String, long[]>> ordered = new ArrayList<>(series.entrySet());
    Map<String, Long> totals = new HashMap<>();
    ordered.forEach(e -> totals.put(e.getKey(), sum(e.getValue())));
    ordered.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> totals.get(e.getKey())).reversed()
        .thenComparing(Map.Entry::getKey));
    long[] rest = null;
    ObjectNode body = body(span);
    body.put("step", stepText);
    if (by != null) {
      body.put("by", by);
    }
    ArrayNode out = body.putArray("series");
    int shown = 0;
    for (Map.Entry<String, long[]> e : ordered) {
      if (shown < limit && !e.getKey().equals(OTHER)) {
        writeSeries(out, e.getKey(), e.getValue(), buckets);
        shown++;
      } else {
        if (rest == null) {
          rest = new long[buckets.size()];
        }
        for (int i = 0; i < rest.length; i++) {
          rest[i] += e.getValue()[i];
        }
      }
    }
    if (rest != null) {
      writeSeries(out, OTHER, rest, buckets);
    }
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  private static void writeSeries(ArrayNode out, String key, long[] counts, List<Rollup> buckets) {
    ObjectNode s = out.addObject();
    s.put("key", key);
    ArrayNode points = s.putArray("points");
    for (int i = 0; i < counts.length; i++) {
      points.addArray().add(Times.format(buckets.get(i).startMinute() * MINUTE_NANOS)).add(counts[i]);
    }
  }

  private static long sum(long[] values) {
    long n = 0;
    for (long v : values) {
      n += v;
    }
    return n;
  }

  private static String statusClass(String code) {
    return code.length() == 3 ? code.charAt(0) + "xx" : code;
  }

  /** {@code GET /api/v1/metrics/top?dimension=&from=&to=&limit=10}. */
  FullHttpResponse top(int tenant, QueryStringDecoder qs) throws BadParam, IOException {
    RollupSet rollups = rollups();
    long[] span = minutes(qs);
    String dimension = Optional.ofNullable(HttpApi.param(qs, "dimension")).orElse("source_ip");
    Section section = switch (dimension) {
      case "source_ip" -> Section.SOURCE_IP;
      case "dest_port" -> Section.DEST_PORT;
      case "path" -> Section.PATH;
      case "service" -> Section.SERVICE;
      case "host" -> Section.HOST;
      case "status" -> Section.STATUS;
      case "level" -> Section.LEVEL;
      default -> throw new BadParam(HttpResponses.BAD_REQUEST, "dimension: expected source_ip, dest_port, path, "
          + "service, host, status or level, got '" + HttpResponses.clip(dimension) + "'");
    };
    int limit = HttpApi.intParam(qs, "limit", 10, 1, 1000);
    Rollup r = rollups.aggregate(tenant, span[0], span[1], EnumSet.of(section));
    ObjectNode body = body(span);
    body.put("dimension", dimension);
    ArrayNode items = body.putArray("items");
    if (section.isTopK()) {
      TopK t = r.top(section);
      t.items(limit).forEach(i -> items.addObject().put("value", i.value()).put("count", i.count()));
      body.put("events", t.n());
      body.put("max_error", t.maxError());
    } else {
      long total = 0;
      int n = 0;
      for (Map.Entry<String, Long> e : r.counts(section).entrySet()) {
        total += e.getValue();
        if (n++ < limit) {
          items.addObject().put("value", e.getKey()).put("count", e.getValue());
        }
      }
      body.put("events", total + r.overflow(section));
      body.put("max_error", 0);
      if (r.overflow(section) > 0) {
        body.put("uncounted", r.overflow(section));
      }
    }
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  /** {@code GET /api/v1/metrics/latency?from=&to=&service=}. */
  FullHttpResponse latency(int tenant, QueryStringDecoder qs) throws BadParam, IOException {
    RollupSet rollups = rollups();
    long[] span = minutes(qs);
    String service = HttpApi.param(qs, "service");
    Rollup r = rollups.aggregate(tenant, span[0], span[1],
        EnumSet.of(service == null ? Section.LATENCY : Section.SERVICE_LATENCY));
    Histogram h = service == null ? r.latency() : r.latency(service);
    ObjectNode body = body(span);
    if (service != null) {
      body.put("service", service);
    }
    putPercentile(body, "p50", h, 50);
    putPercentile(body, "p90", h, 90);
    putPercentile(body, "p95", h, 95);
    putPercentile(body, "p99", h, 99);
    putPercentile(body, "p999", h, 99.9);
    if (h.getTotalCount() == 0) {
      body.putNull("max");
    } else {
      body.put("max", millis(h.getMaxValue()));
    }
    body.put("count", h.getTotalCount());
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  private static void putPercentile(ObjectNode node, String name, Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      node.putNull(name);
    } else {
      node.put(name, millis(h.getValueAtPercentile(percentile)));
    }
  }

  /** Microseconds as milliseconds, to the microsecond. */
  private static double millis(long micros) {
    return micros / 1000.0;
  }
}
