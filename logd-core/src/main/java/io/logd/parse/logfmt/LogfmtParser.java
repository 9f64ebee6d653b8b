package io.logd.parse.logfmt;

import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.event.Times;
import io.logd.parse.BodyParser;
import java.time.Instant;
import java.util.Arrays;

/**
 * logfmt bodies: {@code key=value key2="quoted \"value\"" flag}, as Go's slog TextHandler, logrus,
 * go-kit, Heroku's router and many others write them.
 *
 * <ul>
 *   <li>{@code msg} or {@code message} sets the message.
 *   <li>{@code level}, {@code lvl} or {@code severity} sets the level (names, common words, 0-7); text
 *       that names no level leaves the level alone and is kept in {@code level_raw}. Heroku's
 *       {@code at=info} counts as a level when no other key gives one and it names a level.
 *   <li>{@code time}, {@code ts} or {@code timestamp} sets the time (RFC 3339, epoch numbers);
 *       a time that cannot be read is kept in {@code time_raw} and does not reject the body.
 *   <li>Every other key becomes a field. Unquoted integers become longs, decimals doubles,
 *       {@code true}/{@code false} booleans, anything else (and every quoted value) a string. A key
 *       with no {@code =} is a boolean {@code true}; {@code key=} is an empty string.
 * </ul>
 *
 * When a role's key appears twice the first wins and the later one is kept as a field. Quoted
 * values take Go's escapes ({@code \"}, {@code \\}, {@code \n}, {@code \t}, {@code \r},
 * {@code \xHH}, and the 4- and 8-digit Unicode forms). A body is refused when it holds no
 * {@code key=value} pair, does not start with a key, or has a token that is not one. Not
 * thread-safe; use one per thread.
 */
public final class LogfmtParser implements BodyParser {
  // The pairs of the current body; applied only once the whole body has been read.
  private String[] keys = new String[16];
  private FieldValue[] values = new FieldValue[16];
  private int count;
  private final StringBuilder sb = new StringBuilder();

  // Set by value(): where the last value ended and whether it was quoted.
  private int valueEnd;

  @Override
  public String parse(String body, LogEvent.Builder event) {
    int n = body.length();
    while (n > 0 && isSpace(body.charAt(n - 1))) {
      n--;
    }
    int i = skipSpaces(body, 0, n);
    if (i >= n) {
      return "logfmt: empty body";
    }
    if (!isKeyStart(body.charAt(i))) {
      return "logfmt: expected a key at column " + (i + 1);
    }
    count = 0;
    int pairs = 0;
    String message = null;
    String levelText = null;
    String atText = null;
    String timeText = null;
    while (i < n) {
      int k0 = i;
      while (i < n && isKeyChar(body.charAt(i))) {
        i++;
      }
      if (i == k0) {
        return "logfmt: expected a key at column " + (i + 1);
      }
      if (i < n && body.charAt(i) == '=') {
        pairs++;
        int v0 = i + 1;
        String reason = value(body, v0, n);
        if (reason != null) {
          return reason;
        }
        i = valueEnd;
        boolean quoted = v0 < n && body.charAt(v0) == '"';
        String raw = quoted ? sb.toString() : body.substring(v0, valueEnd);
        String key = body.substring(k0, v0 - 1);
        // The first key of a role fills it; a repeated one is kept as a field.
        if ((key.equals("msg") || key.equals("message")) && message == null) {
          message = raw;
        } else if ((key.equals("level") || key.equals("lvl") || key.equals("severity")) && levelText == null) {
          levelText = raw;
        } else if ((key.equals("time") || key.equals("ts") || key.equals("timestamp")) && timeText == null) {
          timeText = raw;
        } else if (key.equals("at") && atText == null && Severity.parse(raw) != null) {
          atText = raw;
        } else {
          add(key, quoted ? FieldValue.of(raw) : typed(raw));
        }
      } else if (i >= n || isSpace(body.charAt(i))) {
        add(body.substring(k0, i), FieldValue.of(true));
      } else {
        return "logfmt: unexpected '" + body.charAt(i) + "' at column " + (i + 1);
      }
      i = skipSpaces(body, i, n);
    }
    if (pairs == 0) {
      return "logfmt: no key=value pair";
    }

    // Nothing below can fail.
    Severity level = null;
    if (levelText != null) {
      level = Severity.parse(levelText);
      if (level == null) {
        add("level_raw", FieldValue.of(levelText));
      }
      if (atText != null) {
        add("at", FieldValue.of(atText)); // a real level key outranks Heroku's at=
      }
    } else if (atText != null) {
      level = Severity.parse(atText);
    }
    if (timeText != null) {
      if (Times.parse(timeText, Instant.now()) instanceof Times.Ok ok) {
        event.timestampNanos(ok.nanos());
      } else {
        add("time_raw", FieldValue.of(timeText));
      }
    }
    if (level != null) {
      event.level(level);
    }
    if (message != null) {
      event.message(message);
    }
    for (int k = 0; k < count; k++) {
      event.field(keys[k], values[k]);
      keys[k] = null;
      values[k] = null;
    }
    count = 0;
    return null;
  }

  @Override
  public boolean looksLike(String body) {
    int n = body.length();
    int i = skipSpaces(body, 0, n);
    if (i >= n || !isKeyStart(body.charAt(i))) {
      return false;
    }
    int pairs = 0;
    int bare = 0;
    while (i < n) {
      int k0 = i;
      while (i < n && isKeyChar(body.charAt(i))) {
        i++;
      }
      if (i == k0) {
        return false;
      }
      if (i < n && body.charAt(i) == '=') {
        i++;
        if (i < n && body.charAt(i) == '"') {
          i = closingQuote(body, i + 1, n);
          if (i < 0) {
            return false;
          }
          i++;
        } else {
          while (i < n && !isSpace(body.charAt(i))) {
            i++;
          }
        }
        pairs++;
      } else if (pairs == 0) {
        return false; // the first token must be a pair
      } else {
        bare++;
      }
      if (i < n && !isSpace(body.charAt(i))) {
        return false;
      }
      i = skipSpaces(body, i, n);
    }
    return pairs >= 2 || (pairs == 1 && bare == 0);
  }

  /**
   * Reads the value starting at {@code i}: a quoted one is unescaped into {@link #sb}. Sets
   * {@link #valueEnd} to the index after it; returns why it is malformed, or null.
   */
  private String value(String s, int i, int n) {
    if (i >= n || s.charAt(i) != '"') {
      int e = i;
      while (e < n && !isSpace(s.charAt(e))) {
        e++;
      }
      valueEnd = e;
      return null;
    }
    int close = closingQuote(s, i + 1, n);
    if (close < 0) {
      return "logfmt: unterminated quoted value at column " + (i + 1);
    }
    if (close + 1 < n && !isSpace(s.charAt(close + 1))) {
      return "logfmt: expected a space after the quoted value at column " + (close + 2);
    }
    unescape(s, i + 1, close);
    valueEnd = close + 1;
    return null;
  }

  /** The index of the '"' that closes a quoted value starting at {@code from}, or -1. */
  static int closingQuote(String s, int from, int n) {
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  /** Go's strconv.Quote escapes; an escape it does not know keeps its backslash. */
  private void unescape(String s, int from, int to) {
    sb.setLength(0);
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= to) {
        sb.append(c);
        i++;
        continue;
      }
      char d = s.charAt(i + 1);
      int code = switch (d) {
        case '"', '\\', '/', '\'' -> d;
        case 'n' -> '\n';
        case 't' -> '\t';
        case 'r' -> '\r';
        case 'a' -> 7;
        case 'b' -> '\b';
        case 'f' -> '\f';
        case 'v' -> 11;
        case 'x' -> hex(s, i + 2, 2, to);
        case 'u' -> hex(s, i + 2, 4, to);
        case 'U' -> hex(s, i + 2, 8, to);
        default -> -1;
      };
      if (code < 0 || !Character.isValidCodePoint(code)) {
        sb.append(c);
        i++;
        continue;
      }
      sb.appendCodePoint(code);
      i += switch (d) {
        case 'x' -> 4;
        case 'u' -> 6;
        case 'U' -> 10;
        default -> 2;
      };
    }
  }

  private static int hex(String s, int from, int digits, int to) {
    if (from + digits > to) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < from + digits; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  private void add(String key, FieldValue value) {
    if (count == keys.length) {
      keys = Arrays.copyOf(keys, count * 2);
      values = Arrays.copyOf(values, count * 2);
    }
    keys[count] = key;
    values[count++] = value;
  }

  /** A long, double or boolean when the whole text is one, else the text. */
  static FieldValue typed(String v) {
    int n = v.length();
    if (n == 0) {
      return FieldValue.of(v);
    }
    if (v.equals("true")) {
      return FieldValue.of(true);
    }
    if (v.equals("false")) {
      return FieldValue.of(false);
    }
    int i = v.charAt(0) == '-' ? 1 : 0;
    int intStart = i;
    while (i < n && isDigit(v.charAt(i))) {
      i++;
    }
    int intDigits = i - intStart;
    if (intDigits == 0) {
      return FieldValue.of(v);
    }
    if (i == n) {
      return intDigits <= 18 ? FieldValue.of(parseLong(v)) : FieldValue.of(v);
    }
    if (v.charAt(i) == '.') {
      int f = ++i;
      while (i < n && isDigit(v.charAt(i))) {
        i++;
      }
      if (i == f) {
        return FieldValue.of(v);
      }
    }
    if (i < n && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
      i++;
      if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
        i++;
      }
      int e = i;
      while (i < n && isDigit(v.charAt(i))) {
        i++;
      }
      if (i == e) {
        return FieldValue.of(v);
      }
    }
    if (i != n) {
      return FieldValue.of(v);
    }
    double d = Double.parseDouble(v);
    return Double.isFinite(d) ? FieldValue.of(d) : FieldValue.of(v);
  }

  /** An optionally negative integer of at most 18 digits, already checked. */
  private static long parseLong(String v) {
    boolean negative = v.charAt(0) == '-';
    long r = 0;
    for (int i = negative ? 1 : 0; i < v.length(); i++) {
      r = r * 10 + (v.charAt(i) - '0');
    }
    return negative ? -r : r;
  }

  private static int skipSpaces(String s, int i, int n) {
    while (i < n && isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isKeyStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '@' || (c >= 0x80 && Character.isLetter(c));
  }

  /** Letters, digits and the punctuation keys use: {@code _ . - / @ $ [ ]} (slog groups, paths, indexes). */
  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '.' || c == '-'
        || c == '/' || c == '@' || c == '$' || c == '[' || c == ']' || (c >= 0x80 && Character.isLetterOrDigit(c));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
