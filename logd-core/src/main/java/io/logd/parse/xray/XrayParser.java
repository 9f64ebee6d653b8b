package io.logd.parse.xray;

import io.logd.event.LogEvent;
import io.logd.parse.BodyParser;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Objects;

/**
 * xray-core access log lines (v2ray's too), in the shapes their versions write:
 *
 * <pre>
 * 2025/11/17 10:15:23.123456 from tcp:192.168.0.10:54321 accepted tcp:example.com:443 [in >> out] email: u@x
 * 2024/11/12 15:18:07 from tcp:192.168.31.22:65258 accepted udp:8.8.8.8:53 [socks -> proxy]
 * 2025/08/24 18:40:35.667467 from 203.0.113.9:57676 rejected  proxy/vless/encoding: invalid request user id
 * 2021/11/10 20:13:01 203.0.113.9:58217 accepted tcp:github.com:443 email:love@example.com
 * </pre>
 *
 * Fields: {@code source_ip}, {@code source_port} (long), {@code dest_host}, {@code dest_port}
 * (long), {@code network} ({@code tcp}/{@code udp}, from the destination's prefix),
 * {@code action} ({@code accepted}/{@code rejected}), {@code inbound} and {@code outbound} from
 * the route ({@code [in -> out]}, {@code [in >> out]}, {@code [in ==> out]}; a route with one tag,
 * {@code [out]}, is the outbound, which is what xray writes when the inbound has no tag),
 * {@code email}, and {@code reason} for the text xray gives after the route (why a connection was
 * rejected). Addresses may be written {@code host:port}, {@code host : port} or
 * {@code [v6]:port}, with or without a {@code tcp:}/{@code udp:} prefix.
 *
 * <p>The leading {@code yyyy/MM/dd HH:mm:ss[.fraction]} is local time in the zone given to the
 * constructor and sets the event time; a line without one keeps the event's time. Level and
 * message are not touched. Instances hold no mutable state and may be shared between threads.
 */
public final class XrayParser implements BodyParser {
  private static final long SECOND = 1_000_000_000L;
  private static final long MAX_SECONDS = Long.MAX_VALUE / SECOND - 1;
  private static final String[] ROUTE_ARROWS = {" -> ", " >> ", " ==> ", " => "};

  private final ZoneId zone;

  /** Reads line times as local times in {@code zone} (xray writes the host's local time). */
  public XrayParser(ZoneId zone) {
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** An address split into host and port; port -1 when it is not there. */
  private record Address(String network, String host, long port) {}

  @Override
  public String parse(String body, LogEvent.Builder event) {
    int n = body.length();
    while (n > 0 && isSpace(body.charAt(n - 1))) {
      n--;
    }
    int i = skipSpaces(body, 0, n);
    long ts = -1;
    if (startsWithDate(body, i, n)) {
      int t = i;
      i += 19;
      int nanos = 0;
      if (i < n && body.charAt(i) == '.') {
        int f = ++i;
        while (i < n && isDigit(body.charAt(i)) && i - f < 9) {
          nanos = nanos * 10 + (body.charAt(i++) - '0');
        }
        if (i == f || (i < n && isDigit(body.charAt(i)))) {
          return "xray: cannot read the time's fraction at column " + (f + 1);
        }
        for (int k = i - f; k < 9; k++) {
          nanos *= 10;
        }
      }
      ts = localTime(body, t, nanos);
      if (ts < 0) {
        return "xray: cannot read the time '" + body.substring(t, i) + "'";
      }
      if (i < n && body.charAt(i) != ' ') {
        return "xray: expected a space after the time at column " + (i + 1);
      }
      i = skipSpaces(body, i, n);
    }
    if (body.startsWith("from ", i)) {
      i = skipSpaces(body, i + 5, n);
    }
    int kw = keyword(body, i, n);
    if (kw < 0) {
      return "xray: expected 'accepted' or 'rejected' after the source at column " + (i + 1);
    }
    Address source = address(body, i, kw);
    if (source == null || source.port < 0) {
      return "xray: cannot read the source address '" + body.substring(i, kw).trim() + "' at column " + (i + 1);
    }
    String action = body.charAt(kw + 1) == 'a' ? "accepted" : "rejected";
    int j = kw + 9; // " accepted" and " rejected" are both 9 chars

    // The destination is empty on most rejected lines: "rejected  <reason>".
    Address dest = null;
    if (j < n && body.charAt(j) == ' ' && j + 1 < n && body.charAt(j + 1) != ' ') {
      int d0 = j + 1;
      int d1 = destinationEnd(body, d0, n);
      dest = address(body, d0, d1);
      if (dest != null && dest.port >= 0) {
        j = d1;
      } else {
        dest = null;
      }
    }
    j = skipSpaces(body, j, n);

    String inbound = null;
    String outbound = null;
    if (j < n && body.charAt(j) == '[') {
      int close = body.indexOf(']', j);
      if (close > j && close < n) {
        String route = body.substring(j + 1, close).trim();
        int arrow = -1;
        int arrowLength = 0;
        for (String a : ROUTE_ARROWS) {
          int at = route.indexOf(a);
          if (at >= 0 && (arrow < 0 || at < arrow)) {
            arrow = at;
            arrowLength = a.length();
          }
        }
        if (arrow >= 0) {
          inbound = nonEmpty(route.substring(0, arrow).trim());
          outbound = nonEmpty(route.substring(arrow + arrowLength).trim());
        } else {
          outbound = nonEmpty(route);
        }
        j = skipSpaces(body, close + 1, n);
      }
    }

    String email = null;
    int reasonEnd = n;
    int em = body.startsWith("email:", j) ? j : body.indexOf(" email:", j);
    if (em >= 0) {
      int e0 = skipSpaces(body, body.indexOf(':', em) + 1, n);
      int e1 = e0;
      while (e1 < n && !isSpace(body.charAt(e1))) {
        e1++;
      }
      if (e1 > e0) {
        email = body.substring(e0, e1);
        reasonEnd = em;
      }
    }
    String reason = j < reasonEnd ? nonEmpty(body.substring(j, reasonEnd).trim()) : null;

    // Nothing below can fail.
    if (ts >= 0) {
      event.timestampNanos(ts);
    }
    event.field("source_ip", source.host);
    event.field("source_port", source.port);
    if (dest != null) {
      event.field("dest_host", dest.host);
      event.field("dest_port", dest.port);
      if (dest.network != null) {
        event.field("network", dest.network);
      }
    }
    event.field("action", action);
    if (inbound != null) {
      event.field("inbound", inbound);
    }
    if (outbound != null) {
      event.field("outbound", outbound);
    }
    if (email != null) {
      event.field("email", email);
    }
    if (reason != null) {
      event.field("reason", reason);
    }
    return null;
  }

  @Override
  public boolean looksLike(String body) {
    int n = body.length();
    int i = skipSpaces(body, 0, n);
    if (startsWithDate(body, i, n)) {
      i += 19;
      while (i < n && (isDigit(body.charAt(i)) || body.charAt(i) == '.')) {
        i++;
      }
      i = skipSpaces(body, i, n);
    }
    if (body.startsWith("from ", i)) {
      i += 5;
    }
    int kw = keyword(body, i, Math.min(n, i + 80));
    int colon = body.indexOf(':', i);
    return kw > i && colon >= 0 && colon < kw;
  }

  /** The index of the space before the first " accepted" or " rejected" word, or -1. */
  private static int keyword(String s, int from, int to) {
    int a = word(s, " accepted", from, to);
    int r = word(s, " rejected", from, to);
    return a < 0 ? r : r < 0 ? a : Math.min(a, r);
  }

  private static int word(String s, String w, int from, int to) {
    int at = s.indexOf(w, from);
    while (at >= 0 && at + w.length() <= to) {
      int after = at + w.length();
      if (after == s.length() || isSpace(s.charAt(after))) {
        return at;
      }
      at = s.indexOf(w, at + 1);
    }
    return -1;
  }

  /** Where a destination starting at {@code i} ends, taking in a spaced {@code " : port"}. */
  private static int destinationEnd(String s, int i, int n) {
    int e = i;
    if (e < n && s.charAt(e) == '[') {
      int close = s.indexOf(']', e);
      e = close < 0 ? n : close;
    }
    while (e < n && !isSpace(s.charAt(e))) {
      e++;
    }
    if (s.startsWith(" : ", e)) {
      int p = e + 3;
      while (p < n && isDigit(s.charAt(p))) {
        p++;
      }
      if (p > e + 3) {
        e = p;
      }
    }
    return e;
  }

  /**
   * {@code [network:]host:port} between {@code from} and {@code to}, spaces around the port's
   * colon allowed and IPv6 hosts in brackets; null when there is no host.
   */
  private static Address address(String s, int from, int to) {
    while (from < to && isSpace(s.charAt(from))) {
      from++;
    }
    while (to > from && isSpace(s.charAt(to - 1))) {
      to--;
    }
    String network = null;
    if (s.startsWith("tcp:", from) || s.startsWith("udp:", from)) {
      network = s.substring(from, from + 3);
      from += 4;
    }
    String host;
    int rest;
    if (from < to && s.charAt(from) == '[') {
      int close = s.indexOf(']', from);
      if (close < 0 || close >= to || close == from + 1) {
        return null;
      }
      host = s.substring(from + 1, close);
      rest = close + 1;
    } else {
      int colon = s.lastIndexOf(':', to - 1);
      if (colon < from) {
        return null;
      }
      int h1 = colon;
      while (h1 > from && s.charAt(h1 - 1) == ' ') {
        h1--;
      }
      if (h1 == from || s.indexOf(' ', from, h1) >= 0) {
        return null;
      }
      host = s.substring(from, h1);
      rest = h1;
    }
    rest = skipSpaces(s, rest, to);
    if (rest >= to || s.charAt(rest) != ':') {
      return rest >= to ? new Address(network, host, -1) : null;
    }
    rest = skipSpaces(s, rest + 1, to);
    long port = 0;
    int p0 = rest;
    while (rest < to && isDigit(s.charAt(rest)) && rest - p0 < 5) {
      port = port * 10 + (s.charAt(rest++) - '0');
    }
    if (rest == p0 || rest != to || port > 65_535) {
      return null;
    }
    return new Address(network, host, port);
  }

  /** True when {@code yyyy/MM/dd HH:mm:ss} starts at {@code i}. */
  private static boolean startsWithDate(String s, int i, int n) {
    if (i + 19 > n) {
      return false;
    }
    for (int k = 0; k < 19; k++) {
      char c = s.charAt(i + k);
      boolean ok = switch (k) {
        case 4, 7 -> c == '/';
        case 10 -> c == ' ';
        case 13, 16 -> c == ':';
        default -> isDigit(c);
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The local time at {@code i} in this parser's zone, in nanoseconds; -1 when invalid or out of range. */
  private long localTime(String s, int i, int nanos) {
    int year = digits(s, i, 4);
    int month = digits(s, i + 5, 2);
    int day = digits(s, i + 8, 2);
    int hour = digits(s, i + 11, 2);
    int minute = digits(s, i + 14, 2);
    int second = digits(s, i + 17, 2);
    if (year < 1969 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
      return -1;
    }
    if (day > 28 && day > YearMonth.of(year, month).lengthOfMonth()) {
      return -1;
    }
    long seconds;
    try {
      seconds = LocalDateTime.of(year, month, day, hour, minute, second).atZone(zone).toEpochSecond();
    } catch (DateTimeException e) {
      return -1; // not reached after the checks above; kept so bad input can never throw
    }
    return seconds < 0 || seconds > MAX_SECONDS ? -1 : seconds * SECOND + nanos;
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return v;
  }

  private static String nonEmpty(String s) {
    return s.isEmpty() ? null : s;
  }

  private static int skipSpaces(String s, int i, int n) {
    while (i < n && isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
