package io.logd.parse.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.logd.event.LogEvent;
import io.logd.parse.BodyParser;
import java.io.IOException;
import java.time.Instant;

/**
 * A message body that is one JSON object, bare ({@code {"msg":"hi"}}) or after a CEE cookie
 * ({@code @cee: {"msg":"hi"}}, as rsyslog's mmjsonparse and many Go and C loggers write it).
 *
 * <p>The object's keys follow the same aliases and flattening as {@link JsonEventParser}: a time,
 * message, level, service, host, facility or tags alias sets that part of the event, nested
 * objects become dotted fields, and every other key becomes a field. What the object does not
 * name stays as the syslog header set it; in particular the message stays the whole body unless
 * the object has a message alias. Relative times ({@code -5m}) are read against the wall clock.
 *
 * <p>Not thread-safe; use one per thread.
 */
public final class JsonBodyParser implements BodyParser {
  private static final String CEE = "@cee:";

  private final JsonEventParser events = new JsonEventParser();

  @Override
  public String parse(String body, LogEvent.Builder event) {
    int start = jsonStart(body);
    if (start < 0) {
      return "json: expected a JSON object or '@cee:' at column 1";
    }
    if (start >= body.length() || body.charAt(start) != '{') {
      return "json: expected '{' at column " + (start + 1);
    }
    try (JsonParser p = JsonEventParser.JSON.createParser(body.substring(start))) {
      p.nextToken();
      JsonEventParser.Event e = events.read(p);
      if (!atEnd(p)) {
        return "json: unexpected content after the JSON object";
      }
      String reason = e.applyTo(event, Instant.now());
      return reason == null ? null : "json: " + reason;
    } catch (JsonProcessingException e) {
      return "json: " + JsonEventParser.describe(e);
    } catch (IOException e) {
      return "json: cannot read: " + e.getMessage();
    }
  }

  /** True when nothing but whitespace follows; text that is not even a JSON token counts as something. */
  private static boolean atEnd(JsonParser p) throws IOException {
    try {
      return p.nextToken() == null;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  @Override
  public boolean looksLike(String body) {
    int start = jsonStart(body);
    if (start < 0 || start >= body.length() || body.charAt(start) != '{') {
      return false;
    }
    int end = body.length() - 1;
    while (end > start && isSpace(body.charAt(end))) {
      end--;
    }
    return body.charAt(end) == '}';
  }

  /** Where the object should begin: after leading spaces and an optional cookie; -1 when neither fits. */
  static int jsonStart(String body) {
    int i = skipSpaces(body, 0);
    if (body.startsWith(CEE, i)) {
      return skipSpaces(body, i + CEE.length());
    }
    return i < body.length() && body.charAt(i) == '{' ? i : -1;
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
