package io.logd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Prints events as the server returns them (API.md's event JSON) in the chosen output format:
 * table rows (time, level, host, service, message), one JSON object per line, or messages only.
 * Table columns keep the widest value seen so far, so a stream stays aligned as it grows.
 */
final class EventPrinter {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  static final String RESET = "\033[0m";

  private final PrintWriter out;
  private final OutputOptions.Format format;
  private final ZoneId zone;
  private final boolean colour;
  private int levelWidth = 5;
  private int hostWidth = 4;
  private int serviceWidth = 7;
  private boolean headerDone;

  EventPrinter(PrintWriter out, OutputOptions options) {
    this(out, options.format(), options.zone(), options.colour());
  }

  EventPrinter(PrintWriter out, OutputOptions.Format format, ZoneId zone, boolean colour) {
    this.out = out;
    this.format = format;
    this.zone = zone;
    this.colour = colour;
  }

  /** Prints a batch; table columns are sized over it first. */
  void print(List<JsonNode> events) {
    if (format == OutputOptions.Format.TABLE) {
      for (JsonNode e : events) {
        widen(e);
      }
    }
    for (JsonNode e : events) {
      print(e);
    }
    out.flush();
  }

  void print(JsonNode e) {
    switch (format) {
      case JSON -> out.println(e.toString());
      case RAW -> out.println(e.path("message").asText(""));
      case TABLE -> {
        widen(e);
        if (!headerDone) {
          out.println(row("TIME", "LEVEL", "HOST", "SERVICE", "MESSAGE", null));
          headerDone = true;
        }
        String level = text(e, "level");
        out.println(row(time(e.path("timestamp").asText(""), zone), level, text(e, "host"), text(e, "service"),
            oneLine(e.path("message").asText("")), level));
      }
    }
  }

  void flush() {
    out.flush();
  }

  private void widen(JsonNode e) {
    levelWidth = Math.max(levelWidth, text(e, "level").length());
    hostWidth = Math.max(hostWidth, text(e, "host").length());
    serviceWidth = Math.max(serviceWidth, text(e, "service").length());
  }

  private String row(String time, String level, String host, String service, String message, String levelForColour) {
    String lv = pad(level, levelWidth);
    if (colour && levelForColour != null) {
      String c = levelColour(levelForColour);
      if (c != null) {
        lv = c + lv + RESET;
      }
    }
    return (pad(time, 23) + "  " + lv + "  " + pad(host, hostWidth) + "  " + pad(service, serviceWidth) + "  "
        + message).stripTrailing();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static String text(JsonNode e, String field) {
    JsonNode v = e.get(field);
    return v == null || v.isNull() ? "-" : v.asText();
  }

  /** Newlines in a message would break the table: show them as the two characters \n. */
  static String oneLine(String s) {
    return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace("\r", "\\r").replace("\n", "\\n");
  }

  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** An RFC 3339 time shown in {@code zone}, to the millisecond; other text as is. */
  static String time(String rfc3339, ZoneId zone) {
    return time(rfc3339, zone, TIME);
  }

  /** The same to the second. */
  static String seconds(String rfc3339, ZoneId zone) {
    return time(rfc3339, zone, SECONDS);
  }

  /** The same to the minute. */
  static String minutes(String rfc3339, ZoneId zone) {
    return time(rfc3339, zone, MINUTES);
  }

  private static String time(String rfc3339, ZoneId zone, DateTimeFormatter format) {
    try {
      return format.format(Instant.parse(rfc3339).atZone(zone));
    } catch (DateTimeParseException e) {
      return rfc3339;
    }
  }

  /** ANSI colour of a level: red for error and worse, yellow for warn, dim for debug. */
  static String levelColour(String level) {
    return switch (level) {
      case "emerg", "alert", "crit", "error" -> "\033[31m";
      case "warn" -> "\033[33m";
      case "notice" -> "\033[36m";
      case "debug", "trace" -> "\033[2m";
      default -> null;
    };
  }
}
