package io.logd.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.engine.Logd;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.rollup.Rollup;
import io.logd.rollup.RollupSet;
import io.logd.rollup.Section;
import io.logd.rollup.TopK;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Brute-force counts over the stored events, written independently of the rollup code from
 * API.md's definitions, and checks that the rollups answer the same for random spans and steps.
 */
public final class RollupOracle {
  private static final long MINUTE_NANOS = 60_000_000_000L;
  private static final long[] STEPS = {1, 5, 60, 1440};

  /** One stored event reduced to what the rollups count. */
  public record Row(long minute, String level, String service, String host, int status, long bytes, long latencyMicros,
      String sourceIp, String destPort, String path, boolean error) {}

  private RollupOracle() {}

  /** Random events with every kind of field the rollups read, some missing, some odd. */
  public static LogEvent event(SplittableRandom rnd, long timeNanos) {
    LogEvent.Builder b = LogEvent.builder().timestampNanos(timeNanos).receivedNanos(timeNanos);
    if (rnd.nextInt(10) > 0) {
      b.level(Severity.values()[rnd.nextInt(Severity.values().length)]);
    }
    if (rnd.nextInt(8) > 0) {
      b.service(new String[] {"api", "web", "auth", "billing", "nginx"}[zipf(rnd, 5)]);
    }
    if (rnd.nextInt(6) > 0) {
      b.host("web-" + zipf(rnd, 12));
    }
    b.message("event " + rnd.nextInt(1000));
    switch (rnd.nextInt(4)) {
      case 0 -> b.field("status", new long[] {200, 200, 200, 204, 301, 304, 404, 429, 500, 502, 503}[rnd.nextInt(11)]);
      case 1 -> b.field("status", Integer.toString(new int[] {200, 404, 500}[rnd.nextInt(3)]));
      default -> { }
    }
    if (rnd.nextBoolean()) {
      b.field("bytes", rnd.nextLong(0, 100_000));
    }
    switch (rnd.nextInt(5)) {
      case 0 -> b.field("latency_ms", rnd.nextInt(0, 5000));
      case 1 -> b.field("duration_ms", rnd.nextDouble() * 300);
      case 2 -> b.field("request_time", rnd.nextInt(0, 3000) / 1000.0);
      default -> { }
    }
    int ip = zipf(rnd, 400);
    if (rnd.nextInt(3) == 0) {
      b.field("source_ip", "192.168." + (ip / 250) + "." + (ip % 250));
    } else if (rnd.nextBoolean()) {
      b.field("client_ip", "192.168." + (ip / 250) + "." + (ip % 250));
    }
    if (rnd.nextInt(3) == 0) {
      b.field("dest_port", new long[] {443, 80, 22, 53, 8080, 5432}[zipf(rnd, 6)]);
    }
    if (rnd.nextBoolean()) {
      b.field("path", "/api/v1/item/" + zipf(rnd, 300));
    }
    return b.build();
  }

  /** A Zipf-like pick in {@code [0, n)}: small values are much more likely. */
  static int zipf(SplittableRandom rnd, int n) {
    double u = rnd.nextDouble();
    return (int) Math.min(n - 1, Math.floor(Math.pow(n + 1, u) - 1));
  }

  static Row row(LogEvent e, long timeNanos) {
    Map<String, FieldValue> f = e.fields();
    String level = e.level() == null ? null : e.level().canonicalName();
    int status = -1;
    FieldValue s = f.get("status");
    if (s instanceof FieldValue.LongValue l) {
      status = (int) l.value();
    } else if (s instanceof FieldValue.StringValue t) {
      status = Integer.parseInt(t.value());
    }
    long bytes = f.get("bytes") instanceof FieldValue.LongValue l ? l.value() : 0;
    double ms = Double.NaN;
    if (f.get("latency_ms") != null) {
      ms = number(f.get("latency_ms"));
    } else if (f.get("duration_ms") != null) {
      ms = number(f.get("duration_ms"));
    } else if (f.get("request_time") != null) {
      ms = number(f.get("request_time")) * 1000;
    }
    FieldValue ip = f.get("source_ip") != null ? f.get("source_ip") : f.get("client_ip");
    boolean error = (e.level() != null && e.level().syslogCode() <= 3) || status >= 500;
    return new Row(Math.floorDiv(timeNanos, MINUTE_NANOS), level, e.service(), e.host(), status, bytes,
        Double.isNaN(ms) ? -1 : Math.round(ms * 1000), ip == null ? null : ip.asText(),
        f.get("dest_port") == null ? null : f.get("dest_port").asText(),
        f.get("path") == null ? null : f.get("path").asText(), error);
  }

  private static double number(FieldValue v) {
    return v instanceof FieldValue.LongValue l ? l.value() : ((FieldValue.DoubleValue) v).value();
  }

  /** The stored events of a tenant as rows, read from the store (the source of truth). */
  public static List<Row> stored(Logd logd, int tenant) throws IOException {
    List<Row> rows = new ArrayList<>();
    logd.store().scan(tenant, 0, Long.MAX_VALUE, false, e -> {
      rows.add(row(e.event(), e.id().timeNanos()));
      return true;
    });
    return rows;
  }

  /**
   * Checks the rollups of {@code tenant} against a recount of its stored events: the whole span,
   * {@code spans} random spans (some aligned to hours and days), and a random series per span.
   */
  public static void check(Logd logd, int tenant, SplittableRandom rnd, int spans, String context) throws IOException {
    RollupSet rollups = logd.rollups().orElseThrow();
    rollups.awaitCounted();
    List<Row> rows = stored(logd, tenant);
    if (rows.isEmpty()) {
      assertEquals(0, rollups.aggregate(tenant, 0, 100_000_000, EnumSet.allOf(Section.class)).total(), context);
      return;
    }
    long min = rows.stream().mapToLong(Row::minute).min().orElseThrow();
    long max = rows.stream().mapToLong(Row::minute).max().orElseThrow() + 1;
    List<long[]> ranges = new ArrayList<>();
    ranges.add(new long[] {min, max});
    ranges.add(new long[] {Math.floorDiv(min, 1440) * 1440, Math.ceilDiv(max, 1440) * 1440});
    for (int i = 0; i < spans; i++) {
      long a = min - 30 + rnd.nextLong(max - min + 60);
      long b = a + 1 + rnd.nextLong(Math.max(1, max - a + 30));
      switch (rnd.nextInt(3)) {
        case 0 -> {
          a = Math.floorDiv(a, 60) * 60;
          b = Math.ceilDiv(b, 60) * 60;
        }
        case 1 -> b = a + rnd.nextLong(1, 4); // a few minutes
        default -> { }
      }
      ranges.add(new long[] {a, b});
    }
    rows.sort(java.util.Comparator.comparingLong(Row::minute));
    for (long[] r : ranges) {
      String where = context + " span [" + r[0] + ", " + r[1] + ")";
      List<Row> in = between(rows, r[0], r[1]);
      compare(in, rollups.aggregate(tenant, r[0], r[1], EnumSet.allOf(Section.class)), where);
      long step = STEPS[rnd.nextInt(STEPS.length)];
      List<Rollup> series = rollups.series(tenant, r[0], r[1], step, EnumSet.of(Section.COUNTS, Section.LEVEL, Section.STATUS));
      long first = Math.floorDiv(r[0], step) * step;
      assertEquals(Math.ceilDiv(r[1] - first, step), series.size(), where + " step " + step + ": buckets");
      for (Rollup bucket : series) {
        List<Row> inBucket = between(in, bucket.startMinute(), bucket.startMinute() + step);
        String w = where + " step " + step + " bucket " + bucket.startMinute();
        assertEquals(inBucket.size(), bucket.total(), w + ": total");
        assertEquals(countBy(inBucket, Row::level), bucket.counts(Section.LEVEL), w + ": by level");
        assertEquals(countBy(inBucket, x -> x.status() < 0 ? null : Integer.toString(x.status())),
            bucket.counts(Section.STATUS), w + ": by status");
      }
    }
  }

  /** The rows with {@code from <= minute < to} of rows sorted by minute. */
  private static List<Row> between(List<Row> sorted, long from, long to) {
    return sorted.subList(firstAtOrAfter(sorted, from), firstAtOrAfter(sorted, to));
  }

  private static int firstAtOrAfter(List<Row> sorted, long minute) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).minute() < minute) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void compare(List<Row> in, Rollup r, String where) {
    assertEquals(in.size(), r.total(), where + ": total");
    assertEquals(in.stream().filter(Row::error).count(), r.errors(), where + ": errors");
    assertEquals(in.stream().mapToLong(Row::bytes).sum(), r.bytes(), where + ": bytes");
    assertEquals(countBy(in, Row::level), r.counts(Section.LEVEL), where + ": by level");
    assertEquals(countBy(in, Row::service), r.counts(Section.SERVICE), where + ": by service");
    assertEquals(countBy(in, Row::host), r.counts(Section.HOST), where + ": by host");
    assertEquals(countBy(in, x -> x.status() < 0 ? null : Integer.toString(x.status())), r.counts(Section.STATUS),
        where + ": by status");
    checkTop(countBy(in, Row::sourceIp), r.top(Section.SOURCE_IP), where + ": top source_ip");
    checkTop(countBy(in, Row::destPort), r.top(Section.DEST_PORT), where + ": top dest_port");
    checkTop(countBy(in, Row::path), r.top(Section.PATH), where + ": top path");
    checkLatency(in.stream().filter(x -> x.latencyMicros() >= 0).mapToLong(Row::latencyMicros).toArray(),
        r.latency(), where + ": latency");
    for (String service : List.of("api", "web")) {
      checkLatency(in.stream().filter(x -> x.latencyMicros() >= 0 && service.equals(x.service()))
          .mapToLong(Row::latencyMicros).toArray(), r.latency(service), where + ": latency of " + service);
    }
  }

  /** The documented bound: every count is a lower bound within maxError, and maxError <= n/101. */
  public static void checkTop(Map<String, Long> exact, TopK top, String where) {
    long n = exact.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(n, top.n(), where + ": events carrying the field");
    assertTrue(top.maxError() <= n / 101, where + ": max error " + top.maxError() + " over n/101 = " + n / 101);
    for (Map.Entry<String, Long> e : exact.entrySet()) {
      long c = top.count(e.getKey());
      assertTrue(c <= e.getValue() && e.getValue() <= c + top.maxError(),
          where + ": " + e.getKey() + " counted " + c + ", true " + e.getValue() + ", max error " + top.maxError());
    }
    for (TopK.Item i : top.items(Integer.MAX_VALUE)) {
      assertTrue(exact.containsKey(i.value()), where + ": listed value " + i.value() + " never occurred");
    }
  }

  /** Count and percentiles within HdrHistogram's 2 significant digits. */
  public static void checkLatency(long[] values, Histogram h, String where) {
    assertEquals(values.length, h.getTotalCount(), where + ": count");
    if (values.length == 0) {
      return;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    for (double p : new double[] {50, 90, 99, 99.9, 100}) {
      long exact = sorted[(int) Math.max(0, Math.ceil(p / 100 * sorted.length) - 1)];
      long got = h.getValueAtPercentile(p);
      assertTrue(Math.abs(got - exact) <= exact / 100 + 1, where + ": p" + p + " was " + got + ", exact " + exact);
    }
  }

  private static <T> Map<String, Long> countBy(List<Row> rows, java.util.function.Function<Row, String> key) {
    Map<String, Long> out = new HashMap<>();
    for (Row r : rows) {
      String k = key.apply(r);
      if (k != null) {
        out.merge(k, 1L, Long::sum);
      }
    }
    return out;
  }
}
