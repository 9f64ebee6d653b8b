package io.logd.bench.data;

import io.logd.event.Facility;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.event.Times;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Events as syslog senders write them. Application events (facility {@code local0}) become RFC 5424
 * lines with their {@code trace_id} as structured data, as a logging library's syslog appender
 * sends them; everything else becomes an RFC 3164 line {@code <PRI>Mmm dd hh:mm:ss host
 * service[pid]: message}, as rsyslog and nginx's {@code access_log syslog:} send them (BSD time in
 * UTC). The body is the event's message, so logd's body parsers (nginx, xray) find the fields
 * again. A message may hold newlines (stack traces): frame such lines with octet counting on TCP.
 */
public final class SyslogLines {
  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  private SyslogLines() {}

  /** The line for {@code e}, without a trailing newline. */
  public static String line(LogEvent e) {
    Facility facility = e.facility() == null ? Facility.USER : e.facility();
    Severity level = e.level() == null ? Severity.INFO : e.level();
    int pri = facility.code() * 8 + level.syslogCode();
    String host = e.host() == null ? "-" : e.host();
    String app = e.service() == null ? "-" : e.service();
    StringBuilder sb = new StringBuilder(64 + e.message().length());
    sb.append('<').append(pri).append('>');
    if (facility == Facility.LOCAL0) {
      sb.append("1 ").append(Times.format(e.timestampNanos())).append(' ').append(host).append(' ').append(app)
          .append(" - - ");
      FieldValue trace = e.fields().get("trace_id");
      if (trace != null) {
        sb.append("[trace@32473 trace_id=\"").append(trace.asText()).append("\"] ");
      } else {
        sb.append("- ");
      }
      return sb.append(e.message()).toString();
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(e.timestampNanos(), 1_000_000_000L), 0, ZoneOffset.UTC);
    sb.append(MONTHS[t.getMonthValue() - 1]).append(' ');
    if (t.getDayOfMonth() < 10) {
      sb.append(' ');
    }
    sb.append(t.getDayOfMonth()).append(' ');
    AccessLogs.two(sb, t.getHour()).append(':');
    AccessLogs.two(sb, t.getMinute()).append(':');
    AccessLogs.two(sb, t.getSecond()).append(' ').append(host).append(' ').append(app);
    FieldValue pid = e.fields().get("pid");
    if (pid != null) {
      sb.append('[').append(pid.asText()).append(']');
    }
    return sb.append(": ").append(e.message()).toString();
  }

  /** {@code line} framed for TCP by octet counting (RFC 6587): {@code LEN SP line}. */
  public static byte[] octetCounted(String line) {
    byte[] body = line.getBytes(StandardCharsets.UTF_8);
    byte[] len = (body.length + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[len.length + body.length];
    System.arraycopy(len, 0, out, 0, len.length);
    System.arraycopy(body, 0, out, len.length, body.length);
    return out;
  }
}
