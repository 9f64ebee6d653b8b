package io.logd.parse.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.logd.event.Facility;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.event.Times;
import io.logd.parse.ParseResult;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one JSON object into a {@link LogEvent}, following the contract's field aliases:
 *
 * <ul>
 *   <li>time: {@code timestamp}, {@code @timestamp}, {@code time}, {@code ts}, {@code _time}
 *       (RFC 3339, epoch numbers of any magnitude, relative values); the receive time when absent
 *   <li>message: {@code message}, {@code msg}, {@code _msg}, {@code log}
 *   <li>level: {@code level}, {@code severity}, {@code lvl} (names, common words, 0–7)
 *   <li>service: {@code service}, {@code app}, {@code app_name}, {@code program}
 *   <li>host: {@code host}, {@code hostname}, {@code source_host}
 *   <li>{@code facility} (syslog keywords or codes) and {@code tags} (strings)
 * </ul>
 *
 * Every other key becomes a field: nested objects are flattened with dots ({@code http.status}),
 * arrays of scalars stay multi-valued, other arrays are kept as their JSON text, and nulls are
 * dropped. When two aliases of one role appear, the first wins and the later one is kept as an
 * ordinary field, so nothing the sender wrote is lost. A level or facility that names nothing
 * known leaves the event without one and keeps the sender's text in the field {@code level_raw}
 * or {@code facility_raw}.
 *
 * <p>Only a time that cannot be read rejects an event: a wrong time would misfile it.
 * Instances are not thread-safe (they reuse a buffer); use one per thread. {@link JsonBodyParser}
 * reads JSON message bodies with the same rules ({@code read} and {@code Event.applyTo}).
 */
public final class JsonEventParser {
  /** Nesting deeper than this is kept as JSON text instead of being flattened further. */
  static final int MAX_DEPTH = 16;

  /** Shared with {@link JsonBodyParser}, which reads one object from a message body. */
  static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
          .build();

  private enum Role { TIME, MESSAGE, LEVEL, SERVICE, HOST, FACILITY, TAGS }

  private static final Map<String, Role> ROLES = Map.ofEntries(
      Map.entry("timestamp", Role.TIME), Map.entry("@timestamp", Role.TIME), Map.entry("time", Role.TIME),
      Map.entry("ts", Role.TIME), Map.entry("_time", Role.TIME),
      Map.entry("message", Role.MESSAGE), Map.entry("msg", Role.MESSAGE), Map.entry("_msg", Role.MESSAGE),
      Map.entry("log", Role.MESSAGE),
      Map.entry("level", Role.LEVEL), Map.entry("severity", Role.LEVEL), Map.entry("lvl", Role.LEVEL),
      Map.entry("service", Role.SERVICE), Map.entry("app", Role.SERVICE), Map.entry("app_name", Role.SERVICE),
      Map.entry("program", Role.SERVICE),
      Map.entry("host", Role.HOST), Map.entry("hostname", Role.HOST), Map.entry("source_host", Role.HOST),
      Map.entry("facility", Role.FACILITY),
      Map.entry("tags", Role.TAGS));

  /** Parses a JSON text holding one object. */
  public ParseResult parse(String json, Instant received) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new ParseResult.Rejected("expected a JSON object");
      }
      ParseResult r = parseObject(p, received);
      if (r instanceof ParseResult.Parsed && p.nextToken() != null) {
        return new ParseResult.Rejected("unexpected content after the JSON object");
      }
      return r;
    } catch (JsonProcessingException e) {
      return new ParseResult.Rejected(describe(e));
    } catch (IOException e) {
      return new ParseResult.Rejected("cannot read JSON: " + e.getMessage());
    }
  }

  /**
   * Parses one object from {@code length} UTF-8 bytes at {@code offset}, without first decoding
   * them into a String (the byte parser is several times cheaper). Bytes that are not valid UTF-8
   * are read as {@link #parse(String, Instant)} reads them, with U+FFFD in their place, so such an
   * event is kept rather than refused.
   */
  public ParseResult parse(byte[] utf8, int offset, int length, Instant received) {
    try (JsonParser p = JSON.createParser(utf8, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new ParseResult.Rejected("expected a JSON object");
      }
      ParseResult r = parseObject(p, received);
      if (r instanceof ParseResult.Parsed && p.nextToken() != null) {
        return new ParseResult.Rejected("unexpected content after the JSON object");
      }
      return r;
    } catch (JsonProcessingException e) {
      if (String.valueOf(e.getOriginalMessage()).contains("UTF-8")) {
        return parse(new String(utf8, offset, length, java.nio.charset.StandardCharsets.UTF_8), received);
      }
      return new ParseResult.Rejected(describe(e));
    } catch (IOException e) {
      return new ParseResult.Rejected("cannot read JSON: " + e.getMessage());
    }
  }

  /**
   * Parses the object the parser is positioned on ({@code START_OBJECT}), leaving it on the
   * matching {@code END_OBJECT}. Malformed JSON surfaces as the parser's own exception, since the
   * caller (a batch reader) must then resynchronize anyway.
   */
  public ParseResult parseObject(JsonParser p, Instant received) throws IOException {
    Event e = new Event(LogEvent.toNanos(received));
    readObject(p, "", 0, e);
    return e.finish(received);
  }

  /**
   * Reads the object the parser is positioned on ({@code START_OBJECT}) with the same aliases and
   * flattening as {@link #parseObject}, leaving it on the matching {@code END_OBJECT}. Nothing is
   * applied yet: {@link Event#applyTo} does that once the caller has checked what follows.
   */
  Event read(JsonParser p) throws IOException {
    Event e = new Event(0);
    readObject(p, "", 0, e);
    return e;
  }

  /** What is known so far about one event. */
  static final class Event {
    final long receivedNanos;
    String timeText;
    long timeNanos = -1;
    String message;
    String host;
    String service;
    Severity level;
    Facility facility;
    List<String> tags;
    final Map<String, FieldValue> fields = new LinkedHashMap<>();

    Event(long receivedNanos) {
      this.receivedNanos = receivedNanos;
    }

    /** The object's time in nanoseconds; {@code absent} when it named none, -1 when it cannot be read. */
    long time(Instant now, long absent) {
      if (timeText == null) {
        return absent;
      }
      return Times.parse(timeText, now) instanceof Times.Ok ok ? ok.nanos() : -1;
    }

    String badTime() {
      return "timestamp: cannot parse '" + timeText + "'";
    }

    ParseResult finish(Instant received) {
      long ts = time(received, receivedNanos);
      if (ts < 0) {
        return new ParseResult.Rejected(badTime());
      }
      return new ParseResult.Parsed(new LogEvent(
          ts, receivedNanos, host, service, level, facility, message, fields.isEmpty() ? null : fields, tags));
    }

    /**
     * Sets on {@code b} what the object named, leaving every other part of {@code b} as it is.
     * Returns null, or why the object is refused (an unreadable time; {@code now} anchors relative
     * ones), in which case {@code b} is unchanged.
     */
    String applyTo(LogEvent.Builder b, Instant now) {
      long ts = time(now, Long.MIN_VALUE);
      if (ts == -1) {
        return badTime();
      }
      if (ts >= 0) {
        b.timestampNanos(ts);
      }
      if (message != null) {
        b.message(message);
      }
      if (host != null) {
        b.host(host);
      }
      if (service != null) {
        b.service(service);
      }
      if (level != null) {
        b.level(level);
      }
      if (facility != null) {
        b.facility(facility);
      }
      fields.forEach(b::field);
      if (tags != null) {
        tags.forEach(b::tag);
      }
      return null;
    }
  }

  private void readObject(JsonParser p, String prefix, int depth, Event e) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = prefix.isEmpty() ? p.currentName() : prefix + "." + p.currentName();
      JsonToken value = p.nextToken();
      Role role = prefix.isEmpty() ? ROLES.get(name) : null;
      if (role != null && assign(role, name, p, value, e)) {
        continue;
      }
      readValue(p, name, value, depth, e);
    }
    if (t != JsonToken.END_OBJECT) {
      throw new JsonProcessingException("expected a field name or '}'", p.currentLocation()) {
        private static final long serialVersionUID = 1L;
      };
    }
  }

  /** Fills a well-known part of the event; false when the value should be kept as a field instead. */
  private boolean assign(Role role, String name, JsonParser p, JsonToken value, Event e) throws IOException {
    switch (role) {
      case TIME -> {
        if (e.timeText != null || !(value.isScalarValue()) || value == JsonToken.VALUE_NULL) {
          return false;
        }
        e.timeText = p.getText();
        return true;
      }
      case MESSAGE -> {
        if (e.message != null || value == JsonToken.VALUE_NULL) {
          return false;
        }
        e.message = value.isScalarValue() ? p.getText() : jsonText(p);
        return true;
      }
      case LEVEL -> {
        if (e.level != null || !value.isScalarValue() || value == JsonToken.VALUE_NULL) {
          return false;
        }
        Severity s = Severity.parse(p.getText());
        if (s == null) {
          e.fields.put("level_raw", FieldValue.of(p.getText()));
        }
        e.level = s;
        return true;
      }
      case FACILITY -> {
        if (e.facility != null || !value.isScalarValue() || value == JsonToken.VALUE_NULL) {
          return false;
        }
        Facility f = value.isNumeric() ? Facility.fromCode(p.getIntValue()) : Facility.parse(p.getText());
        if (f == null) {
          e.fields.put("facility_raw", FieldValue.of(p.getText()));
        }
        e.facility = f;
        return true;
      }
      case SERVICE -> {
        if (e.service != null || !value.isScalarValue() || value == JsonToken.VALUE_NULL) {
          return false;
        }
        e.service = p.getText();
        return true;
      }
      case HOST -> {
        if (e.host != null || !value.isScalarValue() || value == JsonToken.VALUE_NULL) {
          return false;
        }
        e.host = p.getText();
        return true;
      }
      case TAGS -> {
        if (e.tags != null) {
          return false;
        }
        if (value == JsonToken.VALUE_STRING) {
          e.tags = new ArrayList<>(List.of(p.getText()));
          return true;
        }
        if (value != JsonToken.START_ARRAY) {
          return false;
        }
        List<String> tags = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t.isStructStart()) {
            p.skipChildren();
          } else if (t != JsonToken.VALUE_NULL) {
            tags.add(p.getText());
          }
        }
        e.tags = tags;
        return true;
      }
    }
    return false;
  }

  private void readValue(JsonParser p, String name, JsonToken value, int depth, Event e) throws IOException {
    switch (value) {
      case START_OBJECT -> {
        if (depth + 1 >= MAX_DEPTH) {
          e.fields.put(name, FieldValue.of(jsonText(p)));
        } else {
          readObject(p, name, depth + 1, e);
        }
      }
      case START_ARRAY -> readArray(p, name, e);
      case VALUE_NULL -> { }
      default -> {
        FieldValue v = scalar(p, value);
        if (v != null) {
          e.fields.put(name, v);
        }
      }
    }
  }

  /** Arrays of scalars stay multi-valued; any other array is kept as its JSON text. */
  private void readArray(JsonParser p, String name, Event e) throws IOException {
    List<FieldValue> values = new ArrayList<>();
    StringWriter raw = null;
    JsonToken t;
    // Read scalars until something structured shows up, then fall back to copying the text.
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t.isStructStart()) {
        raw = new StringWriter();
        try (var g = JSON.createGenerator(raw)) {
          g.writeStartArray();
          for (FieldValue v : values) {
            writeScalar(g, v);
          }
          g.copyCurrentStructure(p);
          while (p.nextToken() != JsonToken.END_ARRAY) {
            g.copyCurrentStructure(p);
          }
          g.writeEndArray();
        }
        break;
      }
      FieldValue v = scalar(p, t);
      if (v != null) {
        values.add(v);
      }
    }
    if (raw != null) {
      e.fields.put(name, FieldValue.of(raw.toString()));
    } else if (values.size() == 1) {
      e.fields.put(name, values.get(0));
    } else if (!values.isEmpty()) {
      e.fields.put(name, new FieldValue.ListValue(values));
    }
  }

  private static void writeScalar(com.fasterxml.jackson.core.JsonGenerator g, FieldValue v) throws IOException {
    switch (v) {
      case FieldValue.StringValue s -> g.writeString(s.value());
      case FieldValue.LongValue l -> g.writeNumber(l.value());
      case FieldValue.DoubleValue d -> g.writeNumber(d.value());
      case FieldValue.BoolValue b -> g.writeBoolean(b.value());
      case FieldValue.ListValue l -> g.writeString(l.asText());
    }
  }

  private static FieldValue scalar(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> FieldValue.of(p.getText());
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          ? FieldValue.of(p.getText()) // beyond 64 bits: keep the digits exactly
          : FieldValue.of(p.getLongValue());
      case VALUE_NUMBER_FLOAT -> FieldValue.of(p.getDoubleValue());
      case VALUE_TRUE -> FieldValue.of(true);
      case VALUE_FALSE -> FieldValue.of(false);
      default -> null;
    };
  }

  /** The current structure (object or array) as compact JSON text. */
  private static String jsonText(JsonParser p) throws IOException {
    StringWriter w = new StringWriter();
    try (var g = JSON.createGenerator(w)) {
      g.copyCurrentStructure(p);
    }
    return w.toString();
  }

  /** A one-line description of a JSON syntax error with its line and column. */
  public static String describe(JsonProcessingException e) {
    String msg = e.getOriginalMessage();
    int cut = msg.indexOf('\n');
    if (cut >= 0) {
      msg = msg.substring(0, cut);
    }
    var loc = e.getLocation();
    return loc == null ? msg : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": " + msg;
  }
}
