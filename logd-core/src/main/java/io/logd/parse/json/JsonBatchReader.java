package io.logd.parse.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.logd.event.LogEvent;
import io.logd.parse.ParseResult;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a batch of JSON events: one object, a JSON array of objects, or NDJSON (one object a
 * line). Good events are always kept; each bad one is reported with its 0-based position (array
 * element or line number) and reason.
 */
public final class JsonBatchReader {
  private static final JsonFactory JSON = JsonEventParser.JSON;

  /** One rejected element: its 0-based index and why. */
  public record Rejection(int index, String reason) {}

  /**
   * A read batch. {@code fatal} is set when the body as a whole is not JSON (nothing could be
   * read from it); then both lists are empty.
   */
  public record Batch(List<LogEvent> events, List<Rejection> rejected, String fatal) {}

  /** How the body is laid out. */
  public enum Shape {
    /** One object or an array of objects. */
    JSON,
    /** An array of objects, or NDJSON when the body does not start with '['. */
    ARRAY_OR_NDJSON
  }

  private final JsonEventParser parser = new JsonEventParser();

  public Batch read(byte[] body, Shape shape, Instant received) {
    int first = firstNonSpace(body);
    if (first < 0) {
      return new Batch(List.of(), List.of(), "the body is empty");
    }
    if (body[first] == '[') {
      return readArray(body, received);
    }
    if (shape == Shape.JSON) {
      return readSingle(body, received);
    }
    return readLines(body, received);
  }

  private Batch readSingle(byte[] body, Instant received) {
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        return new Batch(List.of(), List.of(), "expected a JSON object or array, got " + describe(t));
      }
      ParseResult r = parser.parseObject(p, received);
      if (p.nextToken() != null) {
        return new Batch(List.of(), List.of(), "unexpected content after the JSON object; send several events as an array");
      }
      return switch (r) {
        case ParseResult.Parsed ok -> new Batch(List.of(ok.event()), List.of(), null);
        case ParseResult.Rejected bad -> new Batch(List.of(), List.of(new Rejection(0, bad.reason())), null);
      };
    } catch (JsonProcessingException e) {
      return new Batch(List.of(), List.of(), JsonEventParser.describe(e));
    } catch (IOException e) {
      return new Batch(List.of(), List.of(), "cannot read JSON: " + e.getMessage());
    }
  }

  private Batch readArray(byte[] body, Instant received) {
    List<LogEvent> events = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    int index = 0;
    try (JsonParser p = JSON.createParser(body)) {
      p.nextToken(); // '['
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new JsonParseEnd(p);
        }
        if (t == JsonToken.START_OBJECT) {
          switch (parser.parseObject(p, received)) {
            case ParseResult.Parsed ok -> events.add(ok.event());
            case ParseResult.Rejected bad -> rejected.add(new Rejection(index, bad.reason()));
          }
        } else {
          p.skipChildren();
          rejected.add(new Rejection(index, "expected a JSON object, got " + describe(t)));
        }
        index++;
      }
      if (p.nextToken() != null) {
        rejected.add(new Rejection(index, "unexpected content after the JSON array"));
      }
    } catch (JsonProcessingException e) {
      // The rest of the array cannot be read; what came before it stands.
      if (index == 0 && events.isEmpty() && rejected.isEmpty()) {
        return new Batch(List.of(), List.of(), JsonEventParser.describe(e));
      }
      rejected.add(new Rejection(index, JsonEventParser.describe(e) + " (the rest of the array was not read)"));
    } catch (IOException e) {
      rejected.add(new Rejection(index, "cannot read JSON: " + e.getMessage()));
    }
    return new Batch(events, rejected, null);
  }

  /**
   * NDJSON: each line is read on its own, so a bad line costs only itself. One parser runs over the
   * whole body while lines hold one object each, several times cheaper than a parser per line, and
   * the bytes of a line it took whole are not scanned again. Any line it cannot take whole (bad
   * JSON, a second value, an object across lines, bytes that are not UTF-8, a line not starting
   * with an object) is read again alone, exactly as {@link #readLinesOneByOne} reads it, and the
   * shared parser restarts at the next line.
   */
  private Batch readLines(byte[] body, Instant received) {
    List<LogEvent> events = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    SharedParser shared = new SharedParser(body, received);
    try {
      int line = 0;
      int start = 0;
      while (true) {
        int content = contentStart(body, start);
        ParseResult r = content < body.length && body[content] == '{' ? shared.object(content) : null;
        int newline;
        if (r != null) {
          newline = shared.newline;
        } else {
          shared.close();
          newline = content;
          while (newline < body.length && body[newline] != '\n') {
            newline++;
          }
          int end = lineEnd(body, start, newline);
          int from = firstNonSpace(body, start, end);
          if (from >= 0) {
            r = parser.parse(body, from, end - from, received);
          }
        }
        if (r != null) {
          switch (r) {
            case ParseResult.Parsed ok -> events.add(ok.event());
            case ParseResult.Rejected bad -> rejected.add(new Rejection(line, bad.reason()));
          }
        }
        if (newline >= body.length) {
          break;
        }
        line++;
        start = newline + 1;
      }
    } finally {
      shared.close();
    }
    return new Batch(events, rejected, null);
  }

  /**
   * The first byte of the line at {@code start} that is not white space or a byte order mark, as
   * {@link #firstNonSpace} skips them; the line's newline (or the body's end) when there is none.
   */
  private static int contentStart(byte[] b, int start) {
    int i = start;
    while (i < b.length) {
      byte c = b[i];
      if (c == ' ' || c == '\t' || c == '\r') {
        i++;
      } else if (byteOrderMarkAt(b, i, b.length)) {
        i += 3;
      } else {
        return i;
      }
    }
    return i;
  }

  /** NDJSON with a parser per line: what {@link #readLines} must always answer. For tests. */
  Batch readLinesOneByOne(byte[] body, Instant received) {
    List<LogEvent> events = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    int line = 0;
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        int end = lineEnd(body, start, i);
        int from = firstNonSpace(body, start, end);
        if (from >= 0) {
          switch (parser.parse(body, from, end - from, received)) {
            case ParseResult.Parsed ok -> events.add(ok.event());
            case ParseResult.Rejected bad -> rejected.add(new Rejection(line, bad.reason()));
          }
        }
        line++;
        start = i + 1;
      }
    }
    return new Batch(events, rejected, null);
  }

  /** Whether a UTF-8 byte order mark starts at {@code i}, with room after it before {@code to}. */
  private static boolean byteOrderMarkAt(byte[] b, int i, int to) {
    return (b[i] & 0xFF) == 0xEF && i + 2 < to && (b[i + 1] & 0xFF) == 0xBB && (b[i + 2] & 0xFF) == 0xBF;
  }

  /** The end of the line {@code [start, newline)} without a trailing CR. */
  private static int lineEnd(byte[] body, int start, int newline) {
    return newline > start && body[newline - 1] == '\r' ? newline - 1 : newline;
  }

  /** One Jackson parser over the rest of an NDJSON body, taking a line only when it is one object. */
  private final class SharedParser {
    private final byte[] body;
    private final Instant received;
    private JsonParser p;
    /** Where {@link #p} was created: its locations count from here. */
    private int base;
    /** After a line was taken: its newline, or the body's end. */
    int newline;

    SharedParser(byte[] body, Instant received) {
      this.body = body;
      this.received = received;
    }

    /**
     * The event of the line whose first content byte, a {@code '{'}, is at {@code from}, or null
     * when the line is not exactly one object for this parser (the caller then reads it alone).
     * Sets {@link #newline} when it answers.
     */
    ParseResult object(int from) {
      try {
        if (p == null) {
          p = JSON.createParser(body, from, body.length - from);
          base = from;
        }
        if (p.nextToken() != JsonToken.START_OBJECT) {
          close();
          return null;
        }
        JsonLocation open = p.currentTokenLocation();
        if (base + open.getByteOffset() != from) {
          close();
          return null;
        }
        ParseResult r = parser.parseObject(p, received);
        JsonLocation after = p.currentLocation();
        // Jackson counts a line at every LF (and lone CR) it skips, and a string cannot hold one
        if (after.getLineNr() != open.getLineNr()) {
          close();
          return null;
        }
        int i = base + (int) after.getByteOffset();
        while (i < body.length && body[i] != '\n') {
          byte c = body[i];
          if (c != ' ' && c != '\t' && c != '\r') {
            close(); // more follows the object on its line
            return null;
          }
          i++;
        }
        newline = i;
        return r;
      } catch (IOException e) {
        close();
        return null;
      }
    }

    void close() {
      if (p != null) {
        try {
          p.close();
        } catch (IOException ignored) {
          // a parser over a byte array has nothing to release that can fail
        }
        p = null;
      }
    }
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString();
    };
  }

  private static int firstNonSpace(byte[] b) {
    return firstNonSpace(b, 0, b.length);
  }

  private static int firstNonSpace(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        // A UTF-8 byte order mark is not content either.
        if (byteOrderMarkAt(b, i, to)) {
          i += 2;
          continue;
        }
        return i;
      }
    }
    return -1;
  }

  /** The input ended inside the array. */
  private static final class JsonParseEnd extends JsonProcessingException {
    private static final long serialVersionUID = 1L;

    JsonParseEnd(JsonParser p) {
      super("unexpected end of input inside the array", p.currentLocation());
    }
  }
}
