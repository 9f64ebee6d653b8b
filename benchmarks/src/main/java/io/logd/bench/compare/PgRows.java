package io.logd.bench.compare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The seeds' PostgreSQL schema for logs, and events as its rows in COPY text format.
 *
 * <p>Typed columns for what the seeds' dashboards filtered and grouped on (time, addresses and
 * ports, protocol, service, status, bytes, latency), the raw line as {@code message}, and every
 * other field (and the tags) in {@code tags jsonb}. The typed columns follow logd's own rules so
 * both systems answer the same question: {@code src_ip} is {@code source_ip}, else {@code
 * client_ip}; {@code latency_ms} is {@code latency_ms}, else {@code duration_ms}, else {@code
 * request_time} × 1000; {@code protocol} is {@code network}, else {@code protocol}.
 */
final class PgRows {
  static final String COLUMNS =
      "ts, received, host, service, level, src_ip, src_port, dst_host, dst_port, protocol, status, bytes, latency_ms, message, tags";
  static final int COLUMN_COUNT = 15;
  /** Casts per column for the INSERT path, which binds every value as text. */
  static final String[] CASTS = {
    "::timestamptz", "::timestamptz", "", "", "", "::inet", "::int", "", "::int", "", "::int", "::bigint",
    "::float8", "", "::jsonb"
  };

  /** Table and indexes: btree on time, status, service, source IP and destination port; GIN on the message. */
  static String[] ddl(String table) {
    return new String[] {
      "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, ts timestamptz NOT NULL, received timestamptz NOT NULL,"
          + " host text, service text, level text, src_ip inet, src_port int, dst_host text, dst_port int,"
          + " protocol text, status int, bytes bigint, latency_ms double precision, message text NOT NULL, tags jsonb)",
      "CREATE INDEX " + table + "_ts ON " + table + " (ts)",
      "CREATE INDEX " + table + "_status ON " + table + " (status)",
      "CREATE INDEX " + table + "_service ON " + table + " (service)",
      "CREATE INDEX " + table + "_src_ip ON " + table + " (src_ip)",
      "CREATE INDEX " + table + "_dst_port ON " + table + " (dst_port)",
      "CREATE INDEX " + table + "_message ON " + table + " USING gin (to_tsvector('simple', message))"
    };
  }

  private static final Set<String> TYPED = Set.of(
      "source_ip", "client_ip", "source_port", "dest_host", "dest_port", "network", "protocol", "status", "bytes",
      "latency_ms", "duration_ms", "request_time");
  private static final JsonFactory JSON = new JsonFactory();

  private PgRows() {}

  /** The event as one COPY text line (tab-separated, {@code \N} for null), with its newline. */
  static void appendCopyLine(StringBuilder sb, LogEvent e) {
    Map<String, FieldValue> f = e.fields();
    String srcIp = text(f, "source_ip");
    if (srcIp == null) {
      srcIp = text(f, "client_ip");
    }
    Double latency = number(f, "latency_ms");
    if (latency == null) {
      latency = number(f, "duration_ms");
    }
    if (latency == null) {
      Double rt = number(f, "request_time");
      latency = rt == null ? null : rt * 1000;
    }
    String protocol = text(f, "network");
    if (protocol == null) {
      protocol = text(f, "protocol");
    }
    Object[] row = {
      Instant.ofEpochSecond(0, e.timestampNanos()).toString(), Instant.ofEpochSecond(0, e.receivedNanos()).toString(),
      e.host(), e.service(), e.level() == null ? null : e.level().canonicalName(), srcIp, text(f, "source_port"),
      text(f, "dest_host"), text(f, "dest_port"), protocol, text(f, "status"), text(f, "bytes"), latency, e.message(),
      extra(e)
    };
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        sb.append('\t');
      }
      if (row[i] == null) {
        sb.append("\\N");
      } else {
        escape(sb, row[i].toString());
      }
    }
    sb.append('\n');
  }

  private static String text(Map<String, FieldValue> f, String name) {
    FieldValue v = f.get(name);
    return v == null ? null : v.asText();
  }

  private static Double number(Map<String, FieldValue> f, String name) {
    return switch (f.get(name)) {
      case FieldValue.DoubleValue d -> d.value();
      case FieldValue.LongValue l -> (double) l.value();
      case null, default -> null;
    };
  }

  /** The untyped fields and the tags as a JSON object, or null when there are none. */
  private static String extra(LogEvent e) {
    StringWriter w = new StringWriter(256);
    boolean any = false;
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      for (Map.Entry<String, FieldValue> field : e.fields().entrySet()) {
        if (TYPED.contains(field.getKey())) {
          continue;
        }
        any = true;
        g.writeFieldName(field.getKey());
        switch (field.getValue()) {
          case FieldValue.LongValue l -> g.writeNumber(l.value());
          case FieldValue.DoubleValue d -> g.writeNumber(d.value());
          case FieldValue.BoolValue b -> g.writeBoolean(b.value());
          default -> g.writeString(field.getValue().asText());
        }
      }
      if (!e.tags().isEmpty()) {
        any = true;
        g.writeArrayFieldStart("tags");
        for (String t : e.tags()) {
          g.writeString(t);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return any ? w.toString() : null;
  }

  private static void escape(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
  }

  /** The values of one COPY text line ({@code \N} as null), for binding to an INSERT. */
  static String[] parseCopyLine(String line) {
    String[] out = new String[COLUMN_COUNT];
    StringBuilder v = new StringBuilder(line.length());
    int col = 0;
    boolean isNull = false;
    for (int i = 0; i <= line.length(); i++) {
      char c = i < line.length() ? line.charAt(i) : '\t';
      if (c == '\t') {
        out[col++] = isNull ? null : v.toString();
        v.setLength(0);
        isNull = false;
      } else if (c == '\\' && i + 1 < line.length()) {
        char n = line.charAt(++i);
        switch (n) {
          case 't' -> v.append('\t');
          case 'n' -> v.append('\n');
          case 'r' -> v.append('\r');
          case 'N' -> isNull = true;
          default -> v.append(n);
        }
      } else {
        v.append(c);
      }
    }
    if (col != COLUMN_COUNT) {
      throw new IllegalArgumentException("expected " + COLUMN_COUNT + " columns, got " + col);
    }
    return out;
  }
}
