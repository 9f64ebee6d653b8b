package io.logd.parse.syslog;

import io.logd.event.Times;
import io.logd.event.Facility;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.parse.syslog.SyslogParser.Malformed;
import io.logd.parse.syslog.SyslogParser.Message;
import io.logd.parse.syslog.SyslogParser.Result;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads messages one at a time: a cursor over the text and the pieces found so far. Not
 * thread-safe; {@link SyslogParser} keeps one per thread. Everything is scanned by hand (no regex,
 * no exceptions, no java.time per line) because this runs once per received datagram or frame.
 *
 * <p>Columns in reasons are 1-based positions in the message as given.
 */
final class SyslogReader {
  private static final long NANOS = 1_000_000_000L;
  private static final int DAY = 86_400;
  /** Longest PROCID read as a number; longer digit runs stay text so they cannot overflow. */
  private static final int MAX_PID_DIGITS = 18;
  private static final int[] POW10 = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

  /** A scratch copy larger than this is dropped after its message, so one huge line is not kept. */
  private static final int MAX_KEPT = 16_384;

  private final LocalTimes times;
  private final Clock clock;
  private final TokenCache tokens;
  /** The message being read; null between messages. */
  private String s;
  /**
   * A copy of the message's chars, reused from message to message: array loads are cheaper than
   * String.charAt in these scanning loops. Only [0, end) belongs to the current message.
   */
  private char[] buf = new char[512];
  /** End of the message without trailing CR, LF and NUL. */
  private int end;
  private int pos;
  /** Why the last step failed; set by the methods that return a failure marker. */
  private String reason;
  /** Set by {@link #fraction}. */
  private int fractionNanos;

  // Where scanTag found the tag: [pos, tagEnd), pid in [pidFrom, pidTo) when pidFrom >= 0, and
  // the body starting at tagNext.
  private int tagEnd;
  private int pidFrom;
  private int pidTo;
  private int tagNext;

  SyslogReader(LocalTimes times, Clock clock, TokenCache tokens) {
    this.times = times;
    this.clock = clock;
    this.tokens = tokens;
  }

  /** Parses one message; see {@link SyslogParser#parse}. */
  Result read(String message, long receivedNanos) {
    start(message);
    Result r = read(receivedNanos);
    finish();
    return r;
  }

  /** See {@link SyslogParser#looksLike}. */
  boolean looksLike(String line) {
    start(line);
    boolean r = looksLike();
    finish();
    return r;
  }

  private void start(String message) {
    int e = message.length();
    while (e > 0 && isTrailer(message.charAt(e - 1))) {
      e--;
    }
    if (e > buf.length) {
      buf = new char[Math.max(e, 2 * buf.length)];
    }
    message.getChars(0, e, buf, 0);
    s = message;
    end = e;
    pos = 0;
    reason = null;
  }

  private void finish() {
    s = null;
    if (buf.length > MAX_KEPT) {
      buf = new char[512];
    }
  }

  private static boolean isTrailer(char c) {
    return c == '\n' || c == '\r' || c == '\0';
  }

  private Result read(long receivedNanos) {
    if (end == 0) {
      return new Malformed("empty message");
    }
    LogEvent.Builder e = LogEvent.builder().receivedNanos(receivedNanos);
    if (buf[0] != '<') {
      // RFC 3164 4.3.3: a relay gives a message without PRI the priority user.notice.
      e.facility(Facility.USER).level(Severity.NOTICE);
      return read3164(e);
    }
    int pri = readPri();
    if (pri < 0) {
      return new Malformed(reason);
    }
    e.facility(Facility.fromCode(pri >> 3)).level(Severity.fromSyslogCode(pri & 7));
    // VERSION "1" then a TIMESTAMP or NILVALUE; anything else after the PRI is read as RFC 3164.
    char next = at(pos + 2);
    if (at(pos) == '1' && at(pos + 1) == ' ' && (next == '-' || isDigit(next))) {
      pos += 2;
      return read5424(e);
    }
    return read3164(e);
  }

  /** Reads {@code <PRI>} from column 1; returns PRI 0..191, or -1 with {@link #reason} set. */
  private int readPri() {
    pos = 1;
    int value = 0;
    while (pos <= 4 && isDigit(at(pos))) {
      value = value * 10 + at(pos) - '0';
      pos++;
    }
    if (pos == 1) {
      return fail("PRI: expected a number after '<' at column 2");
    }
    if (pos > 4) {
      return fail("PRI: more than 3 digits at column 2");
    }
    if (at(pos) != '>') {
      return fail("PRI: expected '>' at column " + (pos + 1));
    }
    if (value > 191) {
      return fail("PRI: " + value + " is out of range 0..191 at column 2");
    }
    pos++;
    return value;
  }

  private int fail(String why) {
    reason = why;
    return -1;
  }

  // ---- RFC 5424 ----

  /** {@code TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] [MSG]}, from after "1 ". */
  private Result read5424(LogEvent.Builder e) {
    if (at(pos) == '-' && (pos + 1 == end || at(pos + 1) == ' ')) {
      pos++;
    } else {
      int col = pos + 1;
      long t = readIso();
      if (t < 0) {
        return new Malformed("TIMESTAMP: " + reason + " at column " + col);
      }
      if (pos < end && at(pos) != ' ') {
        return new Malformed("TIMESTAMP: expected ' ' after it at column " + (pos + 1));
      }
      e.timestampNanos(t);
    }
    int from = headerField("HOSTNAME");
    if (from < 0) {
      return new Malformed(reason);
    }
    if (!isNil(from)) {
      e.host(tokens.get(s, buf, from, pos));
    }
    if ((from = headerField("APP-NAME")) < 0) {
      return new Malformed(reason);
    }
    if (!isNil(from)) {
      e.service(tokens.get(s, buf, from, pos));
    }
    if ((from = headerField("PROCID")) < 0) {
      return new Malformed(reason);
    }
    if (!isNil(from)) {
      pid(e, from, pos);
    }
    if ((from = headerField("MSGID")) < 0) {
      return new Malformed(reason);
    }
    if (!isNil(from)) {
      e.field("msgid", tokens.get(s, buf, from, pos));
    }
    if (pos < end) {
      skipSpaces();
      char c = at(pos);
      if (c == '-' && (pos + 1 == end || at(pos + 1) == ' ')) {
        pos++;
      } else if (c == '[') {
        if (!readStructuredData(e)) {
          return new Malformed(reason);
        }
      }
      // Anything else: the sender left out SD; the MSG starts here.
      if (at(pos) == ' ') {
        pos++;
      }
    }
    return message(e);
  }

  /**
   * Moves over the space-separated header field; returns where it starts (it ends at {@link #pos}),
   * or -1 with {@link #reason} set when the message ends before it.
   */
  private int headerField(String name) {
    if (skipSpaces() == 0 || pos >= end) {
      return fail(name + ": missing at column " + (pos + 1));
    }
    int from = pos;
    pos = wordEnd(pos);
    return from;
  }

  /** Whether the word [from, pos) is the NILVALUE. */
  private boolean isNil(int from) {
    return pos - from == 1 && buf[from] == '-';
  }

  /**
   * One or more {@code [SD-ID PARAM="VALUE" ...]} elements from {@link #pos}; each parameter becomes
   * the field {@code SD-ID.PARAM}. False, with {@link #reason} set, when they are malformed.
   */
  private boolean readStructuredData(LogEvent.Builder e) {
    // Locals instead of fields in these loops: this is the hottest code for RFC 5424.
    final char[] b = buf;
    final int n = end;
    int p = pos;
    while (p < n && b[p] == '[') {
      int element = p;
      int idFrom = ++p;
      while (p < n && isSdNameChar(b[p])) {
        p++;
      }
      if (p == idFrom) {
        return sdFail(element, p, "an SD-ID");
      }
      int idTo = p;
      int idHash = TokenCache.hash(0, b, idFrom, idTo);
      while (true) {
        if (p >= n) {
          return sdFail(element, p, "']'");
        }
        char c = b[p];
        if (c == ']') {
          p++;
          break;
        }
        if (c != ' ') {
          return sdFail(element, p, "' ' or ']'");
        }
        while (p < n && b[p] == ' ') {
          p++;
        }
        if (p < n && b[p] == ']') {
          continue;
        }
        int nameFrom = p;
        while (p < n && isSdNameChar(b[p])) {
          p++;
        }
        if (p == nameFrom) {
          return sdFail(element, p, "a parameter name");
        }
        int nameTo = p;
        if (p >= n || b[p] != '=') {
          return sdFail(element, p, "'='");
        }
        if (++p >= n || b[p] != '"') {
          return sdFail(element, p, "'\"'");
        }
        String value = paramValue(p + 1);
        if (value == null) {
          pos = p;
          reason = "structured data: unterminated value starting at column " + (p + 1);
          return false;
        }
        p = pos;
        addField(e, tokens.dotted(b, idFrom, idTo, idHash, nameFrom, nameTo), FieldValue.of(value));
      }
    }
    pos = p;
    return true;
  }

  private boolean sdFail(int element, int at, String expected) {
    pos = at;
    reason = at >= end
        ? "structured data: unterminated element starting at column " + (element + 1)
        : "structured data: expected " + expected + " at column " + (at + 1);
    return false;
  }

  /** SD-NAME characters: printable US-ASCII except '=', ' ', ']' and '"'. */
  private static boolean isSdNameChar(char c) {
    return c > ' ' && c < 127 && c != '=' && c != ']' && c != '"';
  }

  /**
   * A PARAM-VALUE from {@code from} (after its opening '"') to the closing '"'; {@link #pos} is
   * set after that quote. Null when the quote is missing.
   */
  private String paramValue(int from) {
    final char[] b = buf;
    final int n = end;
    for (int p = from; p < n; p++) {
      char c = b[p];
      if (c == '"') {
        pos = p + 1;
        return s.substring(from, p);
      }
      if (c == '\\') {
        return escapedValue(from);
      }
    }
    return null;
  }

  /**
   * {@link #paramValue} for a value holding a backslash: {@code \"}, {@code \\} and {@code \]}
   * are unescaped, and a backslash before anything else is kept, as RFC 5424 6.3.3 says.
   */
  private String escapedValue(int from) {
    final char[] b = buf;
    final int n = end;
    StringBuilder sb = new StringBuilder(32);
    for (int p = from; p < n; p++) {
      char c = b[p];
      if (c == '"') {
        pos = p + 1;
        return sb.toString();
      }
      if (c == '\\' && p + 1 < n && (b[p + 1] == '"' || b[p + 1] == '\\' || b[p + 1] == ']')) {
        c = b[++p];
      }
      sb.append(c);
    }
    return null;
  }

  /** Sets a field; a name seen before in this message becomes multi-valued instead of replaced. */
  private static void addField(LogEvent.Builder e, String name, FieldValue v) {
    FieldValue old = e.field(name);
    if (old == null) {
      e.field(name, v);
    } else if (old instanceof FieldValue.ListValue list) {
      List<FieldValue> all = new ArrayList<>(list.values().size() + 1);
      all.addAll(list.values());
      all.add(v);
      e.field(name, new FieldValue.ListValue(all));
    } else {
      e.field(name, new FieldValue.ListValue(List.of(old, v)));
    }
  }

  // ---- RFC 3164 and its real-world variants ----

  /** {@code [TIMESTAMP [HOSTNAME]] [TAG[PID]:] MSG}, from after the PRI (if any). */
  private Result read3164(LogEvent.Builder e) {
    skipSpaces();
    int start = pos;
    char c = at(pos);
    long t = -1;
    if (isDigit(c)) {
      t = readIso();
      if (t >= 0 && pos < end && at(pos) != ' ') {
        t = -1;
      }
    } else if (c >= 'A' && c <= 'z') {
      t = readBsd();
    }
    if (t < 0) {
      // No header time: everything from here is TAG and MSG, and the receive time stands.
      pos = start;
    } else {
      e.timestampNanos(t);
      skipSpaces();
      int word = wordEnd(pos);
      // A lone last word is message text, not a host.
      if (word < end && !isTagWord(pos, word)) {
        e.host(tokens.get(s, buf, pos, word));
        pos = word;
        skipSpaces();
      }
    }
    if (scanTag()) {
      e.service(tokens.get(s, buf, pos, tagEnd));
      if (pidFrom >= 0) {
        pid(e, pidFrom, pidTo);
      }
      pos = tagNext;
    }
    return message(e);
  }

  /**
   * Whether the word in [from, to) after the timestamp is the TAG of a message without HOSTNAME:
   * it ends with ':' or holds a '['. An IPv6 address may end with "::" and is a host.
   */
  private boolean isTagWord(int from, int to) {
    if (buf[to - 1] == ':') {
      return !isIpv6Like(from, to);
    }
    for (int i = from + 1; i < to; i++) {
      if (buf[i] == '[') {
        return true;
      }
    }
    return false;
  }

  private boolean isIpv6Like(int from, int to) {
    int colons = 0;
    for (int i = from; i < to; i++) {
      char c = buf[i];
      if (c == ':') {
        colons++;
      } else if (!isDigit(c) && c != '.' && !((c | 0x20) >= 'a' && (c | 0x20) <= 'f')) {
        return false;
      }
    }
    return colons >= 2;
  }

  /**
   * Finds {@code TAG:}, {@code TAG[PID]:} or {@code TAG[PID]} (each followed by a space or the end)
   * at {@link #pos}; on success fills {@link #tagEnd}, {@link #pidFrom}, {@link #pidTo} and
   * {@link #tagNext} (the body, after one space). Moves nothing.
   */
  private boolean scanTag() {
    int i = pos;
    char c = 0;
    while (i < end) {
      c = buf[i];
      if (c == ' ' || c == ':' || c == '[') {
        break;
      }
      i++;
    }
    if (i == pos || i == end) {
      return false;
    }
    int next;
    if (c == ':') {
      pidFrom = -1;
      next = i + 1;
    } else if (c == '[') {
      int j = i + 1;
      while (j < end && buf[j] != ']' && buf[j] != ' ') {
        j++;
      }
      if (at(j) != ']') {
        return false;
      }
      pidFrom = i + 1;
      pidTo = j;
      next = at(j + 1) == ':' ? j + 2 : j + 1;
    } else {
      return false; // a plain word: the message has no tag
    }
    // "http://x" or "a:b" start a message; they are no tag.
    if (next < end && buf[next] != ' ') {
      return false;
    }
    tagEnd = i;
    tagNext = next < end ? next + 1 : next;
    return true;
  }

  /** Field pid from [from, to): a number when all digits (and short enough to fit), else text. */
  private void pid(LogEvent.Builder e, int from, int to) {
    if (from == to) {
      return;
    }
    if (to - from <= MAX_PID_DIGITS) {
      long v = 0;
      int i = from;
      while (i < to && isDigit(buf[i])) {
        v = v * 10 + buf[i] - '0';
        i++;
      }
      if (i == to) {
        e.field("pid", v);
        return;
      }
    }
    e.field("pid", s.substring(from, to));
  }

  private Result message(LogEvent.Builder e) {
    int from = pos;
    if (from < end && buf[from] == '\uFEFF') {
      from++; // RFC 5424 6.4: a BOM marks UTF-8 and is not part of the text
    }
    String body = s.substring(Math.min(from, end), end);
    e.message(body);
    return new Message(e, body);
  }

  // ---- timestamps ----

  /**
   * An RFC 3339 date-time at {@link #pos} ({@code 2003-10-11T22:14:15.003Z}; fraction of any
   * length, read to nanoseconds; 'Z' or ±hh:mm, or ±hhmm, or no offset meaning the parser's zone).
   * Returns epoch nanos and moves past it, or returns -1 with {@link #reason} set.
   */
  long readIso() {
    int p = pos;
    int year = d4(p);
    int month = d2(p + 5);
    int day = d2(p + 8);
    int hour = d2(p + 11);
    int minute = d2(p + 14);
    int second = d2(p + 17);
    char t = at(p + 10);
    if ((year | month | day | hour | minute | second) < 0 || at(p + 4) != '-' || at(p + 7) != '-'
        || (t != 'T' && t != 't') || at(p + 13) != ':' || at(p + 16) != ':') {
      return fail("expected an RFC 3339 date-time like 2003-10-11T22:14:15.003Z");
    }
    p += 19;
    long fraction = 0;
    if (at(p) == '.') {
      int from = ++p;
      p = fraction(p);
      if (p == from) {
        return fail("expected digits after '.' in the time");
      }
      fraction = fractionNanos;
    }
    long offset = Long.MIN_VALUE;
    char z = at(p);
    if (z == 'Z' || z == 'z') {
      offset = 0;
      p++;
    } else if (z == '+' || z == '-') {
      int oh = d2(p + 1);
      int om = at(p + 3) == ':' ? d2(p + 4) : d2(p + 3);
      if (oh < 0 || om < 0 || oh > 23 || om > 59) {
        return fail("expected an offset like +01:00");
      }
      offset = (z == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
      p += at(p + 3) == ':' ? 6 : 5;
    }
    if (month < 1 || month > 12 || day < 1 || day > Times.daysInMonth(year, month)
        || hour > 23 || minute > 59 || second > 60) {
      return fail("date or time out of range");
    }
    long local = Times.epochDay(year, month, day) * DAY + hour * 3600L + minute * 60L + second;
    long utc = offset == Long.MIN_VALUE ? times.toUtc(local) : local - offset;
    if (utc < 0 || utc > LocalTimes.MAX_EPOCH_SECOND) {
      return fail("time outside 1970..2262");
    }
    pos = p;
    return utc * NANOS + fraction;
  }

  /**
   * A BSD timestamp at {@link #pos}: {@code Mmm dd hh:mm:ss} with the day space-padded or not, an
   * optional fraction, an optional year before the time ({@code Oct 11 2024 22:14:15}) and an
   * optional ':' after it (Cisco). Read in the parser's zone; without a year, see {@link
   * #nearestYear}. Returns epoch nanos and moves past it (and the ':'), or -1.
   */
  /** How far ahead of now a year-less timestamp may be before it is read as last year's. */
  static final long MAX_AHEAD_SECONDS = 7 * DAY;

  long readBsd() {
    int p = pos;
    int month = month(at(p), at(p + 1), at(p + 2));
    if (month == 0 || at(p + 3) != ' ') {
      return -1;
    }
    p += 4;
    if (at(p) == ' ') {
      p++;
    }
    if (!isDigit(at(p))) {
      return -1;
    }
    int day = digit(p++);
    if (isDigit(at(p))) {
      day = day * 10 + digit(p++);
    }
    if (day < 1 || at(p++) != ' ') {
      return -1;
    }
    int year = -1;
    if (at(p + 4) == ' ' && d4(p) >= 0) {
      year = d4(p);
      p += 5;
    }
    int hour = d2(p);
    int minute = d2(p + 3);
    int second = d2(p + 6);
    if ((hour | minute | second) < 0 || at(p + 2) != ':' || at(p + 5) != ':'
        || hour > 23 || minute > 59 || second > 60) {
      return -1;
    }
    p += 8;
    long fraction = 0;
    if (at(p) == '.' && isDigit(at(p + 1))) {
      p = fraction(p + 1);
      fraction = fractionNanos;
    }
    if (at(p) == ':' && (p + 1 == end || at(p + 1) == ' ')) {
      p++;
    }
    if (p < end && at(p) != ' ') {
      return -1;
    }
    int timeOfDay = hour * 3600 + minute * 60 + second;
    long local = year >= 0
        ? (day <= Times.daysInMonth(year, month) ? Times.epochDay(year, month, day) * DAY + timeOfDay : -1)
        : nearestYear(month, day, timeOfDay);
    if (local == -1) {
      return -1;
    }
    long utc = times.toUtc(local);
    if (utc < 0 || utc > LocalTimes.MAX_EPOCH_SECOND) {
      return -1;
    }
    pos = p;
    return utc * NANOS + fraction;
  }

  /**
   * Local seconds of month/day/time in the latest of next, this or last year that is at most
   * {@link #MAX_AHEAD_SECONDS} after the clock's now: log lines describe the past, give or take a
   * sender's clock running a little fast. So December lines read in January belong to last year,
   * a Jan 1 line read seconds before midnight on Dec 31 to next year, and a February line read in
   * November to this year. -1 when the day exists in none of them (Feb 29).
   */
  private long nearestYear(int month, int day, int timeOfDay) {
    long now = times.toLocal(Math.floorDiv(clock.millis(), 1000));
    int thisYear = LocalTimes.yearOf(Math.floorDiv(now, DAY));
    for (int y = thisYear + 1; y >= thisYear - 1; y--) {
      if (day <= Times.daysInMonth(y, month)) {
        long local = Times.epochDay(y, month, day) * DAY + timeOfDay;
        if (local - now <= MAX_AHEAD_SECONDS) {
          return local;
        }
      }
    }
    return -1;
  }

  /**
   * Reads the digits of a fraction of a second from p into {@link #fractionNanos} (digits past the
   * ninth are ignored); returns the position after them.
   */
  private int fraction(int p) {
    int digits = 0;
    int v = 0;
    while (isDigit(at(p))) {
      if (digits < 9) {
        v = v * 10 + at(p) - '0';
        digits++;
      }
      p++;
    }
    fractionNanos = v * POW10[9 - digits];
    return p;
  }

  /** 1..12 for an English month abbreviation in any case, else 0. */
  private static int month(char a, char b, char c) {
    if (a > 'z' || b > 'z' || c > 'z') {
      return 0;
    }
    return switch (((a | 0x20) << 16) | ((b | 0x20) << 8) | (c | 0x20)) {
      case 'j' << 16 | 'a' << 8 | 'n' -> 1;
      case 'f' << 16 | 'e' << 8 | 'b' -> 2;
      case 'm' << 16 | 'a' << 8 | 'r' -> 3;
      case 'a' << 16 | 'p' << 8 | 'r' -> 4;
      case 'm' << 16 | 'a' << 8 | 'y' -> 5;
      case 'j' << 16 | 'u' << 8 | 'n' -> 6;
      case 'j' << 16 | 'u' << 8 | 'l' -> 7;
      case 'a' << 16 | 'u' << 8 | 'g' -> 8;
      case 's' << 16 | 'e' << 8 | 'p' -> 9;
      case 'o' << 16 | 'c' << 8 | 't' -> 10;
      case 'n' << 16 | 'o' << 8 | 'v' -> 11;
      case 'd' << 16 | 'e' << 8 | 'c' -> 12;
      default -> 0;
    };
  }

  // ---- format detection ----

  /** Whether the line starts like a syslog message; see {@link SyslogParser#looksLike}. */
  private boolean looksLike() {
    if (end == 0) {
      return false;
    }
    if (buf[0] == '<') {
      int i = 1;
      while (i <= 3 && isDigit(at(i))) {
        i++;
      }
      return i > 1 && at(i) == '>';
    }
    char c = buf[0];
    if (isDigit(c)) {
      // An ISO time alone starts too many formats; a host and a tag after it make it syslog.
      if (readIso() < 0 || at(pos) != ' ') {
        return false;
      }
      skipSpaces();
      pos = wordEnd(pos);
      skipSpaces();
      return pos < end && scanTag();
    }
    if (readBsd() < 0 || at(pos) != ' ') {
      return false;
    }
    skipSpaces();
    return pos < end;
  }

  // ---- small scanners ----

  /** The char at i, or NUL past the end (NUL is no digit, space or delimiter). */
  private char at(int i) {
    return i < end ? buf[i] : '\0';
  }

  private int skipSpaces() {
    int from = pos;
    while (pos < end && buf[pos] == ' ') {
      pos++;
    }
    return pos - from;
  }

  private int wordEnd(int from) {
    int i = from;
    while (i < end && buf[i] != ' ') {
      i++;
    }
    return i;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private int digit(int i) {
    char c = at(i);
    return isDigit(c) ? c - '0' : -1;
  }

  /** Two digits at i as a number, or -1. */
  private int d2(int i) {
    int a = digit(i);
    int b = digit(i + 1);
    return (a | b) < 0 ? -1 : a * 10 + b;
  }

  /** Four digits at i as a number, or -1. */
  private int d4(int i) {
    int a = d2(i);
    int b = d2(i + 2);
    return (a | b) < 0 ? -1 : a * 100 + b;
  }
}
