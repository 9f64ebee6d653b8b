package io.logd.parse.nginx;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Times;
import io.logd.parse.BodyParser;
import io.logd.parse.json.JsonEventParser;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * nginx access lines: the {@code combined} and {@code common} formats, combined with extra fields
 * appended, and JSON {@code log_format}s ({@code escape=json '{"remote_addr":"$remote_addr",...}'}).
 *
 * <p>A line sets the event's time from {@code [$time_local]} and these fields: {@code client_ip},
 * {@code remote_user} (unless "-"), {@code method}, {@code path} (with the query string),
 * {@code protocol}, {@code status} (long), {@code bytes} (long), {@code referer} and
 * {@code user_agent} (unless "-"). A request line that is not {@code METHOD target [HTTP/x]}
 * (TLS handshakes sent to the plain-text port, scanners' junk) does not reject the line: it is
 * kept as logged, escapes included, in the field {@code request}. Quoted values have nginx's
 * escapes ({@code \x22}, {@code \"}, {@code \\}) decoded, with {@code \xHH} runs read as UTF-8.
 *
 * <p>After the user agent, what custom formats append is kept: a bare decimal number is
 * {@code request_time} (seconds, double; later ones are {@code extra_<n>}), {@code key=value}
 * pairs become fields ({@code rt=} is {@code request_time}; plain numbers, quoted or not, become
 * longs or doubles), a first quoted list of addresses is {@code http_x_forwarded_for} (the stock
 * {@code main} format), and any other value is {@code extra_<n>} by its position among the
 * unnamed ones. "-" values are dropped.
 *
 * <p>A JSON body's keys are nginx variable names: {@code remote_addr}, {@code request} (or
 * {@code request_method}, {@code request_uri}/{@code uri}, {@code server_protocol}),
 * {@code status}, {@code body_bytes_sent} (else {@code bytes_sent}), {@code http_referer},
 * {@code http_user_agent} and {@code request_time} give the fields above; {@code time_iso8601},
 * {@code time_local} or {@code msec} give the time; other keys are kept under their own names.
 * Empty and "-" values are dropped.
 *
 * <p>Level and message are never touched: the message stays the whole line for full-text search.
 * The combined path uses no regex, throws nothing and allocates little beyond the field values.
 * Not thread-safe (it keeps the scan of the current line); use one per thread.
 */
public final class NginxParser implements BodyParser {
  private static final JsonFactory JSON = new JsonFactory();
  private static final long SECOND = 1_000_000_000L;
  /** Largest epoch second whose nanoseconds fit a long (2262-04-11). */
  private static final long MAX_SECONDS = Long.MAX_VALUE / SECOND - 1;

  // Status codes are few; sharing their values saves an allocation per line.
  private static final FieldValue[] STATUS = new FieldValue[1000];

  static {
    for (int i = 0; i < STATUS.length; i++) {
      STATUS[i] = FieldValue.of(i);
    }
  }

  private static final FieldValue GET = FieldValue.of("GET");
  private static final FieldValue POST = FieldValue.of("POST");
  private static final FieldValue HEAD = FieldValue.of("HEAD");
  private static final FieldValue PUT = FieldValue.of("PUT");
  private static final FieldValue DELETE = FieldValue.of("DELETE");
  private static final FieldValue PATCH = FieldValue.of("PATCH");
  private static final FieldValue OPTIONS = FieldValue.of("OPTIONS");
  private static final FieldValue CONNECT = FieldValue.of("CONNECT");
  private static final FieldValue HTTP_1_1 = FieldValue.of("HTTP/1.1");
  private static final FieldValue HTTP_1_0 = FieldValue.of("HTTP/1.0");
  private static final FieldValue HTTP_2_0 = FieldValue.of("HTTP/2.0");

  // The scan of the current line (phase one), read by apply (phase two).
  private int end;
  private int addrStart;
  private int addrEnd;
  private int userStart;
  private int userEnd;
  private long timeNanos;
  private int requestStart;
  private int requestEnd;
  private int status;
  private long bytes;
  private int refererStart;
  private int refererEnd;
  private int agentStart;
  private int agentEnd;
  private int extrasStart;
  private int column;

  private byte[] pending = new byte[64];

  @Override
  public String parse(String body, LogEvent.Builder event) {
    int n = body.length();
    while (n > 0 && isSpace(body.charAt(n - 1))) {
      n--;
    }
    int i = 0;
    while (i < n && isSpace(body.charAt(i))) {
      i++;
    }
    if (i < n && body.charAt(i) == '{') {
      return parseJson(body, i, n, event);
    }
    end = n;
    String reason = scan(body, i);
    if (reason != null) {
      return "nginx: " + reason + " at column " + (column + 1);
    }
    apply(body, event);
    return null;
  }

  @Override
  public boolean looksLike(String body) {
    int i = 0;
    int n = body.length();
    while (i < n && isSpace(body.charAt(i))) {
      i++;
    }
    if (i < n && body.charAt(i) == '{') {
      return body.indexOf("\"remote_addr\"", i) > 0 || body.indexOf("\"request", i) > 0
          || body.indexOf("\"status\"", i) > 0 || body.indexOf("\"http_user_agent\"", i) > 0;
    }
    int sp = body.indexOf(' ', i);
    if (sp <= i) {
      return false;
    }
    int open = body.indexOf(" [", sp);
    if (open < 0 || open - sp > 80) {
      return false;
    }
    int close = body.indexOf("] \"", open);
    return close > 0 && close - open < 48;
  }

  // ---------------------------------------------------------------------------------------------
  // combined / common

  /** Phase one: finds where each part is and checks the structure; null when the line is usable. */
  private String scan(String s, int i) {
    addrStart = i;
    addrEnd = s.indexOf(' ', i);
    if (addrEnd <= i || addrEnd >= end) {
      return fail(i, "expected the client address and a space");
    }
    int identEnd = s.indexOf(' ', addrEnd + 1);
    if (identEnd < 0 || identEnd >= end) {
      return fail(addrEnd + 1, "expected the remote user");
    }
    userStart = identEnd + 1;
    int open = s.indexOf(" [", identEnd);
    if (open < 0 || open >= end) {
      return fail(userStart, "expected '[' before the time");
    }
    userEnd = open;
    if (userEnd <= userStart) {
      return fail(userStart, "expected the remote user");
    }
    int t0 = open + 2;
    int t1 = s.indexOf(']', t0);
    if (t1 < 0 || t1 >= end) {
      return fail(t0, "expected ']' after the time");
    }
    timeNanos = localTime(s, t0, t1);
    if (timeNanos < 0) {
      timeNanos = otherTime(s, t0, t1);
      if (timeNanos < 0) {
        return fail(t0, "cannot read the time '" + s.substring(t0, t1) + "'");
      }
    }
    if (t1 + 2 >= end || s.charAt(t1 + 1) != ' ' || s.charAt(t1 + 2) != '"') {
      return fail(t1 + 2, "expected '\"' before the request");
    }
    requestStart = t1 + 3;
    requestEnd = closingQuote(s, requestStart, end);
    if (requestEnd < 0) {
      return fail(requestStart - 1, "no '\"' closes the request opened");
    }
    int p = requestEnd + 1;
    if (p >= end || s.charAt(p) != ' ') {
      return fail(p, "expected the status");
    }
    p++;
    int v = 0;
    int d0 = p;
    while (p < end && p - d0 < 4 && isDigit(s.charAt(p))) {
      v = v * 10 + (s.charAt(p++) - '0');
    }
    if (p == d0 || p - d0 > 3 || (p < end && s.charAt(p) != ' ')) {
      return fail(d0, "expected the status");
    }
    status = v;
    if (p + 1 >= end) {
      return fail(p, "expected the body size");
    }
    p++;
    d0 = p;
    long b = 0;
    if (s.charAt(p) == '-') {
      b = -1; // Apache's %b writes "-" for no body
      p++;
    } else {
      while (p < end && p - d0 < 18 && isDigit(s.charAt(p))) {
        b = b * 10 + (s.charAt(p++) - '0');
      }
    }
    if (p == d0 || (p < end && s.charAt(p) != ' ')) {
      return fail(d0, "expected the body size");
    }
    bytes = b;
    refererStart = refererEnd = agentStart = agentEnd = -1;
    // Referer and user agent are optional (common format). A line cut short by a syslog size limit
    // keeps what it has: an unterminated quote runs to the end.
    if (p + 1 < end && s.charAt(p + 1) == '"') {
      refererStart = p + 2;
      refererEnd = closingQuoteOrEnd(s, refererStart, end);
      p = Math.min(refererEnd + 1, end);
      if (p + 1 < end && s.charAt(p) == ' ' && s.charAt(p + 1) == '"') {
        agentStart = p + 2;
        agentEnd = closingQuoteOrEnd(s, agentStart, end);
        p = Math.min(agentEnd + 1, end);
      }
    }
    extrasStart = p;
    return null;
  }

  private String fail(int at, String reason) {
    column = at;
    return reason;
  }

  /** Phase two: sets what the scan found. Cannot fail. */
  private void apply(String s, LogEvent.Builder event) {
    event.timestampNanos(timeNanos);
    if (!isDash(s, addrStart, addrEnd)) {
      event.field("client_ip", s.substring(addrStart, addrEnd));
    }
    if (!isDash(s, userStart, userEnd)) {
      event.field("remote_user", decode(s, userStart, userEnd));
    }
    request(s, requestStart, requestEnd, event);
    event.field("status", STATUS[status]);
    if (bytes >= 0) {
      event.field("bytes", bytes);
    }
    if (refererStart >= 0 && refererEnd > refererStart && !isDash(s, refererStart, refererEnd)) {
      event.field("referer", decode(s, refererStart, refererEnd));
    }
    if (agentStart >= 0 && agentEnd > agentStart && !isDash(s, agentStart, agentEnd)) {
      event.field("user_agent", decode(s, agentStart, agentEnd));
    }
    if (extrasStart < end) {
      extras(s, extrasStart, end, event);
    }
  }

  /** Splits {@code METHOD target [protocol]}; anything else is kept whole in {@code request}. */
  private void request(String s, int from, int to, LogEvent.Builder event) {
    int sp = s.indexOf(' ', from, to);
    if (sp > from && isMethod(s, from, sp)) {
      int last = s.lastIndexOf(' ', to - 1);
      int pathEnd = to;
      FieldValue protocol = null;
      if (last > sp && s.startsWith("HTTP/", last + 1)) {
        protocol = protocol(s, last + 1, to);
        pathEnd = last;
      }
      if (pathEnd > sp + 1 && (protocol != null || s.indexOf(' ', sp + 1, pathEnd) < 0)) {
        event.field("method", method(s, from, sp));
        event.field("path", decode(s, sp + 1, pathEnd));
        if (protocol != null) {
          event.field("protocol", protocol);
        }
        return;
      }
    }
    if (to > from && !isDash(s, from, to)) {
      event.field("request", s.substring(from, to));
    }
  }

  /** nginx takes upper-case letters, '_' and '-' in a method. */
  static boolean isMethod(String s, int from, int to) {
    if (to - from > 32) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static FieldValue method(String s, int from, int to) {
    FieldValue known = switch (to - from) {
      case 3 -> s.startsWith("GET", from) ? GET : s.startsWith("PUT", from) ? PUT : null;
      case 4 -> s.startsWith("POST", from) ? POST : s.startsWith("HEAD", from) ? HEAD : null;
      case 5 -> s.startsWith("PATCH", from) ? PATCH : null;
      case 6 -> s.startsWith("DELETE", from) ? DELETE : null;
      case 7 -> s.startsWith("OPTIONS", from) ? OPTIONS : s.startsWith("CONNECT", from) ? CONNECT : null;
      default -> null;
    };
    return known != null ? known : FieldValue.of(s.substring(from, to));
  }

  private static FieldValue protocol(String s, int from, int to) {
    if (to - from == 8) {
      if (s.startsWith("HTTP/1.1", from)) {
        return HTTP_1_1;
      }
      if (s.startsWith("HTTP/2.0", from)) {
        return HTTP_2_0;
      }
      if (s.startsWith("HTTP/1.0", from)) {
        return HTTP_1_0;
      }
    }
    return FieldValue.of(s.substring(from, to));
  }

  /** What custom formats append after the user agent; see the class comment for the names. */
  private void extras(String s, int i, int to, LogEvent.Builder event) {
    int unnamed = 0;
    boolean haveTime = false;
    boolean firstQuoted = true;
    while (true) {
      while (i < to && isSpace(s.charAt(i))) {
        i++;
      }
      if (i >= to) {
        return;
      }
      if (s.charAt(i) == '"') {
        int q = closingQuoteOrEnd(s, i + 1, to);
        unnamed++;
        if (q > i + 1 && !isDash(s, i + 1, q)) {
          String name = firstQuoted && isAddressList(s, i + 1, q) ? "http_x_forwarded_for" : "extra_" + unnamed;
          event.field(name, typed(s, i + 1, q));
        }
        firstQuoted = false;
        i = q + 1;
        continue;
      }
      int keyEnd = i;
      while (keyEnd < to && isKeyChar(s.charAt(keyEnd))) {
        keyEnd++;
      }
      if (keyEnd > i && keyEnd < to && s.charAt(keyEnd) == '=') {
        String key = s.substring(i, keyEnd);
        int v0 = keyEnd + 1;
        int v1;
        boolean quoted = v0 < to && s.charAt(v0) == '"';
        if (quoted) {
          v0++;
          v1 = closingQuoteOrEnd(s, v0, to);
          i = v1 + 1;
        } else {
          v1 = tokenEnd(s, v0, to);
          i = v1;
        }
        if (v1 > v0 && !isDash(s, v0, v1)) {
          if (key.equals("rt") || key.equals("request_time")) {
            double t = decimal(s, v0, v1);
            if (!Double.isNaN(t) && !haveTime) {
              event.field("request_time", t);
              haveTime = true;
              continue;
            }
          }
          event.field(key, typed(s, v0, v1));
        }
        continue;
      }
      int e = tokenEnd(s, i, to);
      unnamed++;
      if (!isDash(s, i, e)) {
        // $request_time always has a fraction ("0.004"); a bare integer is something else
        double t = haveTime || s.indexOf('.', i, e) < 0 ? Double.NaN : decimal(s, i, e);
        if (!Double.isNaN(t)) {
          event.field("request_time", t);
          haveTime = true;
          unnamed--; // a named value does not shift the positions of the unnamed ones
        } else {
          event.field("extra_" + unnamed, typed(s, i, e));
        }
      }
      i = e;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // JSON log_format

  private String parseJson(String body, int from, int to, LogEvent.Builder event) {
    String clientIp = null;
    String user = null;
    String request = null;
    String method = null;
    String requestUri = null;
    String uri = null;
    String protocol = null;
    String statusText = null;
    String bodyBytes = null;
    String bytesSent = null;
    String referer = null;
    String agent = null;
    String requestTime = null;
    String timeIso = null;
    String timeLocal = null;
    String msec = null;
    List<String> names = new ArrayList<>();
    List<FieldValue> values = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body.substring(from, to))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return "nginx: expected a JSON object";
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (v == JsonToken.VALUE_NULL) {
          continue;
        }
        if (v.isStructStart()) {
          StringWriter w = new StringWriter();
          try (var g = JSON.createGenerator(w)) {
            g.copyCurrentStructure(p);
          }
          names.add(name);
          values.add(FieldValue.of(w.toString()));
          continue;
        }
        String text = p.getText();
        if (text.isEmpty() || text.equals("-")) {
          continue;
        }
        switch (name) {
          case "remote_addr" -> clientIp = text;
          case "remote_user" -> user = text;
          case "request" -> request = text;
          case "request_method" -> method = text;
          case "request_uri" -> requestUri = text;
          case "uri" -> uri = text;
          case "server_protocol" -> protocol = text;
          case "status" -> statusText = text;
          case "body_bytes_sent" -> bodyBytes = text;
          case "bytes_sent" -> bytesSent = text;
          case "http_referer" -> referer = text;
          case "http_user_agent" -> agent = text;
          case "request_time" -> requestTime = text;
          case "time_iso8601" -> timeIso = text;
          case "time_local" -> timeLocal = text;
          case "msec" -> msec = text;
          default -> {
            names.add(name);
            values.add(switch (v) {
              case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                  ? FieldValue.of(text) : FieldValue.of(p.getLongValue());
              case VALUE_NUMBER_FLOAT -> FieldValue.of(p.getDoubleValue());
              case VALUE_TRUE -> FieldValue.of(true);
              case VALUE_FALSE -> FieldValue.of(false);
              default -> FieldValue.of(text);
            });
          }
        }
      }
      if (t != JsonToken.END_OBJECT) {
        return "nginx: expected a field name or '}' in the JSON object";
      }
      if (p.nextToken() != null) {
        return "nginx: unexpected content after the JSON object";
      }
    } catch (JsonProcessingException e) {
      return "nginx: " + JsonEventParser.describe(e);
    } catch (IOException e) {
      return "nginx: cannot read JSON: " + e.getMessage();
    }
    if (clientIp == null && request == null && method == null && requestUri == null && uri == null
        && statusText == null && agent == null) {
      return "nginx: the JSON object has none of remote_addr, request, request_uri, status, http_user_agent";
    }

    // One time form gives the time; the others present stay as fields.
    long ts = -1;
    String timeText = timeIso != null ? timeIso : timeLocal != null ? timeLocal : msec;
    if (timeIso != null) {
      ts = parsedTime(timeIso);
    } else if (timeLocal != null) {
      ts = localTime(timeLocal, 0, timeLocal.length());
    } else if (msec != null) {
      ts = parsedTime(msec);
    }
    if (timeText != null && ts < 0) {
      return "nginx: cannot read the time '" + timeText + "'";
    }
    if (timeLocal != null && timeText != timeLocal) {
      names.add("time_local");
      values.add(FieldValue.of(timeLocal));
    }
    if (msec != null && timeText != msec) {
      names.add("msec");
      values.add(FieldValue.of(msec));
    }

    // Nothing below can fail.
    if (ts >= 0) {
      event.timestampNanos(ts);
    }
    if (clientIp != null) {
      event.field("client_ip", clientIp);
    }
    if (user != null) {
      event.field("remote_user", user);
    }
    String path = requestUri;
    if (request != null) {
      int sp = request.indexOf(' ');
      int last = request.lastIndexOf(' ');
      boolean split = sp > 0 && isMethod(request, 0, sp)
          && (last > sp && request.startsWith("HTTP/", last + 1) || last == sp && sp + 1 < request.length());
      if (split) {
        int pathEnd = last > sp ? last : request.length();
        method = method != null ? method : request.substring(0, sp);
        path = path != null ? path : request.substring(sp + 1, pathEnd);
        protocol = protocol != null ? protocol : last > sp ? request.substring(last + 1) : null;
      } else {
        event.field("request", request);
      }
    }
    if (path == null) {
      path = uri;
      uri = null;
    }
    if (method != null) {
      event.field("method", method);
    }
    if (path != null) {
      event.field("path", path);
    }
    if (protocol != null) {
      event.field("protocol", protocol);
    }
    if (statusText != null) {
      long st = integer(statusText, 0, statusText.length());
      event.field("status", st >= 0 ? FieldValue.of(st) : FieldValue.of(statusText));
    }
    long b = bodyBytes != null ? integer(bodyBytes, 0, bodyBytes.length()) : -1;
    if (b >= 0) {
      event.field("bytes", b);
    } else if (bodyBytes != null) {
      event.field("body_bytes_sent", bodyBytes);
    }
    if (bytesSent != null) {
      long bs = integer(bytesSent, 0, bytesSent.length());
      event.field(b < 0 && bs >= 0 ? "bytes" : "bytes_sent", bs >= 0 ? FieldValue.of(bs) : FieldValue.of(bytesSent));
    }
    if (referer != null) {
      event.field("referer", referer);
    }
    if (agent != null) {
      event.field("user_agent", agent);
    }
    if (requestTime != null) {
      double rt = decimal(requestTime, 0, requestTime.length());
      event.field("request_time", Double.isNaN(rt) ? FieldValue.of(requestTime) : FieldValue.of(rt));
    }
    if (uri != null) {
      event.field("uri", uri);
    }
    for (int k = 0; k < names.size(); k++) {
      event.field(names.get(k), values.get(k));
    }
    return null;
  }

  /** RFC 3339 or epoch seconds via {@link Times}; -1 when unreadable or relative. */
  private static long parsedTime(String text) {
    if (text.startsWith("-") || text.startsWith("now")) {
      return -1;
    }
    return Times.parse(text, Instant.EPOCH) instanceof Times.Ok ok ? ok.nanos() : -1;
  }

  /** A bracketed time that is not {@code $time_local}: {@code $time_iso8601} or {@code $msec}. */
  private static long otherTime(String s, int from, int to) {
    return to - from > 40 ? -1 : parsedTime(s.substring(from, to));
  }

  // ---------------------------------------------------------------------------------------------
  // shared pieces

  /**
   * {@code $time_local}, e.g. {@code 10/Oct/2000:13:55:36 -0700}, as nanoseconds since the epoch;
   * -1 when the text is not exactly that form or the time is outside 1970..2262.
   */
  static long localTime(String s, int from, int to) {
    if (to - from != 26 || s.charAt(from + 2) != '/' || s.charAt(from + 6) != '/' || s.charAt(from + 11) != ':'
        || s.charAt(from + 14) != ':' || s.charAt(from + 17) != ':' || s.charAt(from + 20) != ' ') {
      return -1;
    }
    int day = digits(s, from, 2);
    int month = month(s.charAt(from + 3), s.charAt(from + 4), s.charAt(from + 5));
    int year = digits(s, from + 7, 4);
    int hour = digits(s, from + 12, 2);
    int minute = digits(s, from + 15, 2);
    int second = digits(s, from + 18, 2);
    char sign = s.charAt(from + 21);
    int offHours = digits(s, from + 22, 2);
    int offMinutes = digits(s, from + 24, 2);
    if (day < 1 || month < 1 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 60 || (sign != '+' && sign != '-') || offHours < 0 || offHours > 23 || offMinutes < 0
        || offMinutes > 59 || day > Times.daysInMonth(year, month)) {
      return -1;
    }
    long offset = (sign == '-' ? -1 : 1) * (offHours * 3600L + offMinutes * 60L);
    long seconds = Times.epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offset;
    return seconds < 0 || seconds > MAX_SECONDS ? -1 : seconds * SECOND;
  }

  /** 1..12 for an English month abbreviation as nginx writes it, else -1. */
  private static int month(char a, char b, char c) {
    return switch ((a << 16) | (b << 8) | c) {
      case ('J' << 16) | ('a' << 8) | 'n' -> 1;
      case ('F' << 16) | ('e' << 8) | 'b' -> 2;
      case ('M' << 16) | ('a' << 8) | 'r' -> 3;
      case ('A' << 16) | ('p' << 8) | 'r' -> 4;
      case ('M' << 16) | ('a' << 8) | 'y' -> 5;
      case ('J' << 16) | ('u' << 8) | 'n' -> 6;
      case ('J' << 16) | ('u' << 8) | 'l' -> 7;
      case ('A' << 16) | ('u' << 8) | 'g' -> 8;
      case ('S' << 16) | ('e' << 8) | 'p' -> 9;
      case ('O' << 16) | ('c' << 8) | 't' -> 10;
      case ('N' << 16) | ('o' << 8) | 'v' -> 11;
      case ('D' << 16) | ('e' << 8) | 'c' -> 12;
      default -> -1;
    };
  }

  /** The value of {@code count} decimal digits at {@code from}, or -1 if any is not a digit. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /**
   * The index of the '"' closing a quoted value that starts at {@code from}, skipping
   * backslash-escaped quotes; -1 when there is none before {@code to}.
   */
  static int closingQuote(String s, int from, int to) {
    int i = from;
    while (true) {
      int q = s.indexOf('"', i, to);
      if (q < 0) {
        return -1;
      }
      int k = q - 1;
      while (k >= from && s.charAt(k) == '\\') {
        k--;
      }
      if (((q - 1 - k) & 1) == 0) {
        return q;
      }
      i = q + 1;
    }
  }

  private static int closingQuoteOrEnd(String s, int from, int to) {
    int q = closingQuote(s, from, to);
    return q < 0 ? to : q;
  }

  private static int tokenEnd(String s, int i, int to) {
    while (i < to && !isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * The text between {@code from} and {@code to} with nginx's and Apache's escapes undone:
   * {@code \xHH} (runs of them read as UTF-8), {@code \"}, {@code \\}, {@code \n}, {@code \t},
   * {@code \r}. Other backslashes are kept.
   */
  String decode(String s, int from, int to) {
    if (s.indexOf('\\', from, to) < 0) {
      return s.substring(from, to);
    }
    StringBuilder sb = new StringBuilder(to - from);
    int np = 0;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < to) {
        char d = s.charAt(i + 1);
        if (d == 'x' && i + 3 < to && HexFormat.isHexDigit(s.charAt(i + 2)) && HexFormat.isHexDigit(s.charAt(i + 3))) {
          if (np == pending.length) {
            pending = Arrays.copyOf(pending, np * 2);
          }
          pending[np++] = (byte) (HexFormat.fromHexDigit(s.charAt(i + 2)) << 4 | HexFormat.fromHexDigit(s.charAt(i + 3)));
          i += 4;
          continue;
        }
        np = flush(sb, np);
        char out = switch (d) {
          case '"', '\\' -> d;
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          default -> 0;
        };
        if (out != 0) {
          sb.append(out);
          i += 2;
          continue;
        }
      } else {
        np = flush(sb, np);
      }
      sb.append(c);
      i++;
    }
    flush(sb, np);
    return sb.toString();
  }

  private int flush(StringBuilder sb, int np) {
    if (np > 0) {
      sb.append(new String(pending, 0, np, StandardCharsets.UTF_8));
    }
    return 0;
  }

  /**
   * A long or double for a plain number, else the decoded text. Quoted numbers are typed too: nginx
   * configs quote {@code "$upstream_response_time"} for safety, not to make it text.
   */
  private FieldValue typed(String s, int from, int to) {
    long l = integer(s, from, to);
    if (l >= 0) {
      return FieldValue.of(l);
    }
    double d = decimal(s, from, to);
    return Double.isNaN(d) ? FieldValue.of(decode(s, from, to)) : FieldValue.of(d);
  }

  /** A non-negative integer of at most 18 digits, or -1. */
  static long integer(String s, int from, int to) {
    if (to <= from || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

  /**
   * {@code digits[.digits]}, as nginx writes times, or NaN. With at most 15 digits the value is the
   * exact quotient of two exactly represented numbers, so one division rounds it correctly.
   */
  static double decimal(String s, int from, int to) {
    long mantissa = 0;
    int digits = 0;
    int fraction = -1;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (isDigit(c)) {
        mantissa = mantissa * 10 + (c - '0');
        if (++digits > 15) {
          return Double.NaN;
        }
        if (fraction >= 0) {
          fraction++;
        }
      } else if (c == '.' && fraction < 0 && digits > 0) {
        fraction = 0;
      } else {
        return Double.NaN;
      }
    }
    if (digits == 0 || fraction == 0) {
      return Double.NaN;
    }
    return fraction < 0 ? mantissa : mantissa / POW10[fraction];
  }

  /** True for a quoted value made only of addresses and commas, as X-Forwarded-For holds. */
  private static boolean isAddressList(String s, int from, int to) {
    boolean sep = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '.' || c == ':') {
        sep = true;
      } else if (!(isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ',' || c == ' ')) {
        return false;
      }
    }
    return sep;
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '.' || c == '-';
  }

  private static boolean isDash(String s, int from, int to) {
    return to - from == 1 && s.charAt(from) == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
