package io.logd.parse;

import io.logd.event.LogEvent;
import io.logd.parse.json.JsonBodyParser;
import io.logd.parse.logfmt.LogfmtParser;
import io.logd.parse.nginx.NginxParser;
import io.logd.parse.syslog.SyslogParser;
import io.logd.parse.xray.XrayParser;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns one syslog message or one log line into an event, always: what cannot be parsed is kept
 * whole as the message with a {@code parse_error} field saying why, so no input is lost.
 *
 * <p>Two modes:
 *
 * <ul>
 *   <li>{@link #syslog}: every input carries a syslog header (RFC 5424 or RFC 3164); its body is
 *       then read with the format the listener's rules pick for the message's service.
 *   <li>{@link #lines}: file import. Each line is read as the given format; {@code auto} takes a
 *       line that starts like syslog as syslog, and otherwise detects the body format.
 * </ul>
 *
 * <p>In {@link BodyFormat#AUTO}, a body that matches no format, or that looked like one but did not
 * parse, is kept as plain text without {@code parse_error}: plain text is a normal message, not a
 * failure. A format chosen explicitly (a rule, a listener's format, {@code --format}) that does not
 * fit the body sets {@code parse_error}.
 *
 * <p>Not thread-safe (the parsers reuse buffers); use one per thread or connection.
 */
public final class EventReader {
  /** The field that says why an input was kept raw. */
  public static final String PARSE_ERROR = "parse_error";
  /** The field that flags a message cut at the listener's frame limit. */
  public static final String TRUNCATED = "truncated";

  /** What a line is read as: a syslog message, or a bare body in one format. */
  public enum LineFormat {
    AUTO, SYSLOG, NGINX, JSON, LOGFMT, XRAY, RAW;

    /** The lower-case name used in flags. */
    public String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The format named by {@code text} (case-insensitive), or null when it names none. */
    public static LineFormat parse(String text) {
      for (LineFormat f : values()) {
        if (text != null && f.keyword().equalsIgnoreCase(text.trim())) {
          return f;
        }
      }
      return null;
    }
  }

  private final SyslogParser syslog;
  private final NginxParser nginx = new NginxParser();
  private final JsonBodyParser json = new JsonBodyParser();
  private final LogfmtParser logfmt = new LogfmtParser();
  private final XrayParser xray;
  /** The body format for a syslog message's service (which may be null). */
  private final Function<String, BodyFormat> formatForService;
  private final LineFormat lineFormat;
  private final String defaultHost;
  private final String defaultService;

  private EventReader(ZoneId zone, Clock clock, Function<String, BodyFormat> formatForService,
      LineFormat lineFormat, String defaultHost, String defaultService) {
    this.syslog = new SyslogParser(zone, clock);
    this.xray = new XrayParser(zone);
    this.formatForService = formatForService;
    this.lineFormat = lineFormat;
    this.defaultHost = defaultHost;
    this.defaultService = defaultService;
  }

  /**
   * A reader for syslog listeners.
   *
   * @param zone reads timestamps that carry no offset
   * @param clock "now", for RFC 3164's missing year
   * @param formatForService the body format for a message's APP-NAME or TAG (null when it had none)
   */
  public static EventReader syslog(ZoneId zone, Clock clock, Function<String, BodyFormat> formatForService) {
    return new EventReader(zone, clock, Objects.requireNonNull(formatForService), LineFormat.SYSLOG, null, null);
  }

  /**
   * A reader for lines of a log file.
   *
   * @param host the host for events whose line names none (may be null)
   * @param service the service for events whose line names none (may be null)
   */
  public static EventReader lines(LineFormat format, ZoneId zone, Clock clock, String host, String service) {
    return new EventReader(zone, clock, s -> BodyFormat.AUTO, Objects.requireNonNull(format), host, service);
  }

  /** Reads one input; never throws for any text. */
  public LogEvent read(String text, long receivedNanos) {
    return read(text, receivedNanos, false);
  }

  /**
   * Reads one input that a listener may have cut short.
   *
   * @param truncated true to flag the event {@code truncated=true}
   */
  public LogEvent read(String text, long receivedNanos, boolean truncated) {
    String line = trimEnd(text);
    LogEvent.Builder event;
    if (lineFormat == LineFormat.SYSLOG) {
      event = readSyslog(line, receivedNanos, true);
    } else if (lineFormat == LineFormat.AUTO && SyslogParser.looksLike(line)) {
      event = readSyslog(line, receivedNanos, false);
    } else {
      event = readBody(plain(line, receivedNanos), line, bodyFormat(lineFormat));
    }
    if (event.service() == null && defaultService != null) {
      event.service(defaultService);
    }
    if (defaultHost != null && !event.hasHost()) {
      event.host(defaultHost);
    }
    if (truncated) {
      event.field(TRUNCATED, true);
    }
    return event.build();
  }

  private LogEvent.Builder readSyslog(String text, long receivedNanos, boolean required) {
    SyslogParser.Result r = syslog.parse(text, receivedNanos);
    if (r instanceof SyslogParser.Message m) {
      return readBody(m.event(), m.body(), formatForService.apply(m.event().service()));
    }
    LogEvent.Builder raw = plain(text, receivedNanos);
    if (required) {
      raw.field(PARSE_ERROR, "syslog: " + ((SyslogParser.Malformed) r).reason());
    }
    return raw;
  }

  private static LogEvent.Builder plain(String line, long receivedNanos) {
    return LogEvent.builder().receivedNanos(receivedNanos).message(line);
  }

  private LogEvent.Builder readBody(LogEvent.Builder event, String body, BodyFormat format) {
    switch (format) {
      case RAW -> {
        return event;
      }
      case AUTO -> {
        BodyParser detected = detect(body);
        if (detected != null) {
          detected.parse(body, event); // on failure the event is unchanged: plain text
        }
        return event;
      }
      default -> {
        String why = parser(format).parse(body, event);
        if (why != null) {
          event.field(PARSE_ERROR, why);
        }
        return event;
      }
    }
  }

  /** The parser whose format the body looks like, most specific first; null for plain text. */
  private BodyParser detect(String body) {
    if (json.looksLike(body)) {
      // nginx's JSON log_format names its keys after nginx variables; other JSON keeps its own names.
      return body.startsWith("{") && body.contains("\"remote_addr\"") ? nginx : json;
    }
    if (xray.looksLike(body)) {
      return xray;
    }
    if (nginx.looksLike(body)) {
      return nginx;
    }
    if (logfmt.looksLike(body)) {
      return logfmt;
    }
    return null;
  }

  private BodyParser parser(BodyFormat format) {
    return switch (format) {
      case NGINX -> nginx;
      case JSON -> json;
      case LOGFMT -> logfmt;
      case XRAY -> xray;
      case AUTO, RAW -> throw new IllegalArgumentException(format.keyword());
    };
  }

  private static BodyFormat bodyFormat(LineFormat f) {
    return switch (f) {
      case NGINX -> BodyFormat.NGINX;
      case JSON -> BodyFormat.JSON;
      case LOGFMT -> BodyFormat.LOGFMT;
      case XRAY -> BodyFormat.XRAY;
      case RAW -> BodyFormat.RAW;
      case AUTO, SYSLOG -> BodyFormat.AUTO;
    };
  }

  /** Drops the trailing CR, LF and NUL that senders and files leave. */
  static String trimEnd(String s) {
    int end = s.length();
    while (end > 0) {
      char c = s.charAt(end - 1);
      if (c != '\n' && c != '\r' && c != '\0') {
        break;
      }
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }
}
