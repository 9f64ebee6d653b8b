package io.logd.parse.syslog;

import io.logd.event.LogEvent;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Reads the header of one syslog message, RFC 5424 or RFC 3164 with the deviations real senders
 * make, into a {@link LogEvent.Builder}, and hands back the MSG part for a body parser.
 *
 * <p>What the header gives:
 *
 * <ul>
 *   <li>PRI: {@code facility} and {@code level}. A message without PRI gets user.notice, as an
 *       RFC 3164 relay would give it. A PRI over 191 or a broken {@code <..>} is malformed.
 *   <li>RFC 5424 ({@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG}): HOSTNAME is
 *       {@code host}, APP-NAME {@code service}, PROCID the field {@code pid} (a number when all
 *       digits), MSGID the field {@code msgid}, and each SD-PARAM the field
 *       {@code <SD-ID>.<PARAM-NAME>} (text, with {@code \"}, {@code \\} and {@code \]} unescaped; a
 *       name repeated in one message becomes multi-valued). The NILVALUE {@code -} leaves a part
 *       unset. A bad TIMESTAMP, a truncated header or malformed structured data is malformed; a
 *       missing SD (MSG right after MSGID) is accepted as none.
 *   <li>RFC 3164 ({@code <PRI>TIMESTAMP HOSTNAME TAG[PID]: MSG}): the timestamp may be BSD
 *       ({@code Oct  1 22:14:15}, optionally with a fraction, a year before the time, or a ':'
 *       after it) or RFC 3339 (rsyslog's forwarding format). BSD times and RFC 3339 times without
 *       an offset are read in the parser's zone; a missing year is the one that puts the time
 *       closest to the clock's now. The HOSTNAME is left out when the word after the timestamp is
 *       a tag (it ends with ':' or holds a '['). {@code tag[pid]:}, {@code tag[pid]} and
 *       {@code tag:} give {@code service} and {@code pid}; without a tag, service stays unset and
 *       everything is body. Without a timestamp there is no hostname either, only an optional tag.
 *       Nothing after a valid PRI makes an RFC 3164 message malformed: what cannot be read is body.
 * </ul>
 *
 * A header without a time leaves the event's timestamp unset, so it defaults to the receive time.
 * Times outside 1970..2262 are malformed (RFC 5424) or not taken as times (RFC 3164).
 *
 * <p>Instances are thread-safe and never throw for any input.
 */
public final class SyslogParser {
  private static final SyslogParser DETECTOR = new SyslogParser(ZoneOffset.UTC, Clock.systemUTC());

  private final LocalTimes times;
  private final Clock clock;
  private final TokenCache tokens = new TokenCache();
  /** Readers keep per-message state and a scratch buffer, so each thread gets its own. */
  private final ThreadLocal<SyslogReader> readers;

  /** zone: used for RFC 3164 timestamps that carry no offset. clock: "now" for year inference. */
  public SyslogParser(ZoneId zone, Clock clock) {
    this.times = new LocalTimes(Objects.requireNonNull(zone, "zone"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.readers = ThreadLocal.withInitial(() -> new SyslogReader(times, this.clock, tokens));
  }

  /**
   * Parses one syslog message (one UDP datagram or one TCP frame, framing already removed; a
   * trailing CR/LF/NUL may remain and is ignored). Never throws for any input.
   */
  public Result parse(String message, long receivedNanos) {
    if (message == null) {
      return new Malformed("empty message");
    }
    return readers.get().read(message, receivedNanos);
  }

  /**
   * Cheap test used by format detection for file import: true when the line starts like a syslog
   * message (a {@code <PRI>}, or an RFC 3164 "Mmm dd hh:mm:ss host" header, or an ISO timestamp
   * followed by a host and a tag).
   */
  public static boolean looksLike(String line) {
    return line != null && DETECTOR.readers.get().looksLike(line);
  }

  /** What {@link #parse} made of a message. */
  public sealed interface Result permits Message, Malformed {}

  /**
   * A message whose header was read. {@code event} has receivedNanos, timestamp (when the header
   * had one; otherwise unset so it defaults to received), host, service, level, facility,
   * message (the body) and fields set. {@code body} is the MSG part (what body parsers read next),
   * without a leading BOM and trailing CR/LF/NUL.
   */
  public record Message(LogEvent.Builder event, String body) implements Result {}

  /** A message that cannot be read, and why, with the 1-based column, e.g. for a parse_error field. */
  public record Malformed(String reason) implements Result {}
}
