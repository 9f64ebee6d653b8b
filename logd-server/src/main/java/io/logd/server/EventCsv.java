package io.logd.server;

import io.logd.event.LogEvent;
import io.logd.event.StoredEvent;
import io.logd.event.Times;

/** Events as CSV rows (RFC 4180 quoting); the fields go in one JSON column. */
final class EventCsv {
  static final String HEADER = "timestamp,id,host,service,level,facility,message,fields,tags\r\n";

  private EventCsv() {}

  static String line(StoredEvent stored) {
    LogEvent e = stored.event();
    var json = EventJson.of(stored, "");
    StringBuilder sb = new StringBuilder(256);
    cell(sb, Times.format(e.timestampNanos())).append(',');
    cell(sb, stored.id().hex()).append(',');
    cell(sb, e.host()).append(',');
    cell(sb, e.service()).append(',');
    cell(sb, e.level() == null ? null : e.level().canonicalName()).append(',');
    cell(sb, e.facility() == null ? null : e.facility().keyword()).append(',');
    cell(sb, e.message()).append(',');
    cell(sb, json.path("fields").toString()).append(',');
    cell(sb, String.join(" ", e.tags()));
    return sb.append("\r\n").toString();
  }

  private static StringBuilder cell(StringBuilder sb, String value) {
    if (value == null || value.isEmpty()) {
      return sb;
    }
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      return sb.append(value);
    }
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    return sb.append('"');
  }
}
