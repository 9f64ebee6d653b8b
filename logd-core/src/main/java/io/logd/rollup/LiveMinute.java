package io.logd.rollup;

import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.event.Times;
import java.util.Map;

/**
 * One tenant's open minute in memory: the exact parts of a {@link Rollup} plus a space-saving
 * sketch per top-K dimension. Where each number comes from follows API.md ("Where the numbers come
 * from"); level, service and host are taken the way the index takes them (the event's own value
 * plus a field of that name), so rollup counts equal index counts.
 */
final class LiveMinute {
  /** Counters of each space-saving sketch: 101 gives the documented n/101 error bound. */
  static final int SKETCH_COUNTERS = 101;

  private static final java.util.Set<Section> EXACT = java.util.EnumSet.of(Section.COUNTS, Section.LEVEL,
      Section.SERVICE, Section.HOST, Section.STATUS, Section.LATENCY, Section.SERVICE_LATENCY);

  final Rollup rollup;
  private final SpaceSaving sourceIp = new SpaceSaving(SKETCH_COUNTERS);
  private final SpaceSaving destPort = new SpaceSaving(SKETCH_COUNTERS);
  private final SpaceSaving path = new SpaceSaving(SKETCH_COUNTERS);

  LiveMinute(long minute) {
    this.rollup = new Rollup(minute);
  }

  void add(LogEvent e, int maxKeys) {
    Rollup r = rollup;
    r.total++;
    Map<String, FieldValue> fields = e.fields();
    boolean error = false;

    Severity level = e.level();
    if (level != null) {
      r.level.add(level.canonicalName(), 1, maxKeys);
      error = level.isError();
    }
    String service = e.service();
    if (service != null) {
      r.service.add(service, 1, maxKeys);
    }
    if (e.host() != null) {
      r.host.add(e.host(), 1, maxKeys);
    }
    if (fields.isEmpty()) {
      if (error) {
        r.errors++;
      }
      return;
    }
    FieldValue f;
    if ((f = fields.get("level")) != null) {
      error |= addLevelField(r, f, level, maxKeys);
    }
    if ((f = fields.get("service")) != null) {
      addKeywordField(r.service, f, service, maxKeys);
    }
    if ((f = fields.get("host")) != null) {
      addKeywordField(r.host, f, e.host(), maxKeys);
    }
    long status = integer(fields.get("status"));
    if (status >= 0 && status < 1000) {
      r.status.add(statusText(status), 1, maxKeys);
      error |= status >= 500;
    }
    if (error) {
      r.errors++;
    }
    long bytes = integer(fields.get("bytes"));
    if (bytes > 0) {
      r.bytes += bytes;
    }
    double latencyMs = number(fields.get("latency_ms"));
    if (Double.isNaN(latencyMs)) {
      latencyMs = number(fields.get("duration_ms"));
    }
    if (Double.isNaN(latencyMs)) {
      latencyMs = number(fields.get("request_time")) * 1000;
    }
    if (!Double.isNaN(latencyMs)) {
      r.recordLatency(service, Math.round(latencyMs * 1000));
    }
    f = fields.get("source_ip");
    if (f == null) {
      f = fields.get("client_ip");
    }
    offer(sourceIp, f);
    offer(destPort, fields.get("dest_port"));
    offer(path, fields.get("path"));
  }

  /** Freezes the sketches into the rollup's top-K sections and returns it; the minute is done. */
  Rollup finish() {
    rollup.sourceIp = sourceIp.isEmpty() ? null : sourceIp.toTopK();
    rollup.destPort = destPort.isEmpty() ? null : destPort.toTopK();
    rollup.path = path.isEmpty() ? null : path.toTopK();
    return rollup;
  }

  /** A copy of the current state, the sketches frozen, for a query; the minute stays open. */
  Rollup snapshot() {
    Rollup copy = new Rollup(rollup.startMinute);
    copy.merge(rollup, EXACT, Integer.MAX_VALUE, 0);
    copy.sourceIp = sourceIp.isEmpty() ? null : sourceIp.toTopK();
    copy.destPort = destPort.isEmpty() ? null : destPort.toTopK();
    copy.path = path.isEmpty() ? null : path.toTopK();
    return copy;
  }

  private static void offer(SpaceSaving sketch, FieldValue f) {
    if (f == null) {
      return;
    }
    if (f instanceof FieldValue.ListValue list) {
      if (list.values().isEmpty()) {
        return;
      }
      f = list.values().get(0);
    }
    sketch.offer(f.asText());
  }

  /** Mirrors the index: each distinct level an event carries counts once. */
  private static boolean addLevelField(Rollup r, FieldValue f, Severity own, int maxKeys) {
    boolean error = false;
    if (f instanceof FieldValue.ListValue list) {
      for (int i = 0; i < list.values().size(); i++) {
        FieldValue v = list.values().get(i);
        if (!seenBefore(list, i, v) ) {
          error |= addLevelValue(r, v.asText(), own, maxKeys);
        }
      }
      return error;
    }
    return addLevelValue(r, f.asText(), own, maxKeys);
  }

  private static boolean addLevelValue(Rollup r, String text, Severity own, int maxKeys) {
    Severity s = Severity.parse(text);
    if (s != null) {
      if (s != own) {
        r.level.add(s.canonicalName(), 1, maxKeys);
      }
      return s.isError();
    }
    if (own == null || !text.equals(own.canonicalName())) {
      r.level.add(text, 1, maxKeys);
    }
    return false;
  }

  private static void addKeywordField(CountMap map, FieldValue f, String own, int maxKeys) {
    if (f instanceof FieldValue.ListValue list) {
      for (int i = 0; i < list.values().size(); i++) {
        FieldValue v = list.values().get(i);
        String text = v.asText();
        if (!text.equals(own) && !seenBefore(list, i, v)) {
          map.add(text, 1, maxKeys);
        }
      }
    } else {
      String text = f.asText();
      if (!text.equals(own)) {
        map.add(text, 1, maxKeys);
      }
    }
  }

  private static boolean seenBefore(FieldValue.ListValue list, int i, FieldValue v) {
    String text = v.asText();
    for (int j = 0; j < i; j++) {
      if (list.values().get(j).asText().equals(text)) {
        return true;
      }
    }
    return false;
  }

  private static final String[] STATUS_TEXT = new String[1000];

  static {
    for (int i = 0; i < STATUS_TEXT.length; i++) {
      STATUS_TEXT[i] = Integer.toString(i);
    }
  }

  private static String statusText(long status) {
    return STATUS_TEXT[(int) status];
  }

  /** A whole number from a long, an integral double or a string of digits; -1 otherwise. */
  static long integer(FieldValue f) {
    if (f instanceof FieldValue.LongValue l) {
      return l.value() >= 0 ? l.value() : -1;
    }
    if (f instanceof FieldValue.DoubleValue d) {
      double v = d.value();
      return v >= 0 && v == Math.rint(v) && v < 9.0e18 ? (long) v : -1;
    }
    if (f instanceof FieldValue.StringValue s) {
      String t = s.value();
      if (t.isEmpty() || t.length() > 18) {
        return -1;
      }
      long v = 0;
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        v = v * 10 + (c - '0');
      }
      return v;
    }
    return -1;
  }

  /** A finite, non-negative number from a long, a double or numeric text; NaN otherwise. */
  static double number(FieldValue f) {
    double v;
    if (f instanceof FieldValue.LongValue l) {
      v = l.value();
    } else if (f instanceof FieldValue.DoubleValue d) {
      v = d.value();
    } else if (f instanceof FieldValue.StringValue s && !s.value().isEmpty() && s.value().length() < 32
        && Times.isNumber(s.value())) {
      v = Double.parseDouble(s.value());
    } else {
      return Double.NaN;
    }
    return v >= 0 && Double.isFinite(v) ? v : Double.NaN;
  }
}
