package io.logd.parse.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.Facility;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.parse.syslog.SyslogParser.Malformed;
import io.logd.parse.syslog.SyslogParser.Message;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyslogParserTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  /** Distinct from NOW so that a defaulted timestamp is told apart from a parsed one. */
  static final long RECEIVED = LogEvent.toNanos(NOW) + 7;

  final SyslogParser parser = new SyslogParser(ZoneOffset.UTC, Clock.fixed(NOW, ZoneOffset.UTC));

  static LogEvent ok(SyslogParser parser, String line) {
    Message m = assertInstanceOf(Message.class, parser.parse(line, RECEIVED), line);
    LogEvent e = m.event().build();
    assertEquals(m.body(), e.message(), "message is the body");
    assertEquals(RECEIVED, e.receivedNanos());
    return e;
  }

  LogEvent ok(String line) {
    return ok(parser, line);
  }

  String malformed(String line) {
    return assertInstanceOf(Malformed.class, parser.parse(line, RECEIVED), line).reason();
  }

  static long nanos(String rfc3339) {
    return LogEvent.toNanos(Instant.parse(rfc3339));
  }

  static void header(LogEvent e, Facility facility, Severity level, String host, String service) {
    assertEquals(facility, e.facility(), "facility");
    assertEquals(level, e.level(), "level");
    assertEquals(host, e.host(), "host");
    assertEquals(service, e.service(), "service");
  }

  // ---- RFC 5424 ----

  @Test
  void rfc5424Section65Example1() {
    LogEvent e = ok("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8");
    header(e, Facility.AUTH, Severity.CRIT, "mymachine.example.com", "su");
    assertEquals(nanos("2003-10-11T22:14:15.003Z"), e.timestampNanos());
    assertEquals(Map.of("msgid", FieldValue.of("ID47")), e.fields());
    assertEquals("'su root' failed for lonvick on /dev/pts/8", e.message());
  }

  @Test
  void rfc5424Section65Example2() {
    LogEvent e = ok("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.");
    header(e, Facility.LOCAL4, Severity.NOTICE, "192.0.2.1", "myproc");
    assertEquals(nanos("2003-08-24T12:14:15.000003Z"), e.timestampNanos());
    assertEquals(Map.of("pid", FieldValue.of(8710)), e.fields());
    assertEquals("%% It's time to make the do-nuts.", e.message());
  }

  @Test
  void rfc5424Section65Example3() {
    LogEvent e = ok("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
        + "eventSource=\"Application\" eventID=\"1011\"] \uFEFFAn application event log entry...");
    header(e, Facility.LOCAL4, Severity.NOTICE, "mymachine.example.com", "evntslog");
    assertEquals(nanos("2003-10-11T22:14:15.003Z"), e.timestampNanos());
    Map<String, FieldValue> expected = new LinkedHashMap<>();
    expected.put("msgid", FieldValue.of("ID47"));
    expected.put("exampleSDID@32473.iut", FieldValue.of("3"));
    expected.put("exampleSDID@32473.eventSource", FieldValue.of("Application"));
    expected.put("exampleSDID@32473.eventID", FieldValue.of("1011"));
    assertEquals(expected, e.fields());
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(e.fields().keySet()), "fields keep their order");
    assertEquals("An application event log entry...", e.message());
  }

  @Test
  void rfc5424Section65Example4() {
    LogEvent e = ok("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
        + "eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]");
    assertEquals(FieldValue.of("1011"), e.fields().get("exampleSDID@32473.eventID"));
    assertEquals(FieldValue.of("high"), e.fields().get("examplePriority@32473.class"));
    assertEquals(5, e.fields().size());
    assertEquals("", e.message());
  }

  @Test
  void loggerRfc5424WithSdParams() {
    // util-linux: logger --rfc5424 --sd-id exampleSDID@32473 --sd-param 'iut="3"' hello
    LogEvent e = ok("<13>1 2026-11-23T10:00:00.123456+00:00 host user - - [timeQuality tzKnown=\"1\" isSynced=\"0\"]"
        + "[exampleSDID@32473 iut=\"3\"] hello");
    header(e, Facility.USER, Severity.NOTICE, "host", "user");
    assertEquals(nanos("2026-11-23T10:00:00.123456Z"), e.timestampNanos());
    assertEquals(Map.of("timeQuality.tzKnown", FieldValue.of("1"), "timeQuality.isSynced", FieldValue.of("0"),
        "exampleSDID@32473.iut", FieldValue.of("3")), e.fields());
    assertEquals("hello", e.message());
  }

  @Test
  void escapedSdValues() {
    LogEvent e = ok("<14>1 2026-11-23T10:00:00Z h app - - [x@1 q=\"say \\\"hi\\\"\" b=\"C:\\\\dir\" r=\"[a\\]\" "
        + "raw=\"keep\\n\\t\" bracket=\"a]b\" empty=\"\" utf=\"grüße\"] body");
    assertEquals("say \"hi\"", e.fields().get("x@1.q").asText());
    assertEquals("C:\\dir", e.fields().get("x@1.b").asText());
    assertEquals("[a]", e.fields().get("x@1.r").asText());
    assertEquals("keep\\n\\t", e.fields().get("x@1.raw").asText(), "a backslash before other chars stays");
    assertEquals("a]b", e.fields().get("x@1.bracket").asText(), "']' inside quotes is part of the value");
    assertEquals("", e.fields().get("x@1.empty").asText());
    assertEquals("grüße", e.fields().get("x@1.utf").asText());
    assertEquals("body", e.message());
  }

  @Test
  void repeatedParamsBecomeMultiValued() {
    LogEvent e = ok("<14>1 2026-11-23T10:00:00Z h app - - [origin ip=\"10.0.0.1\" ip=\"10.0.0.2\" ip=\"::1\" software=\"x\"] m");
    assertEquals(new FieldValue.ListValue(List.of(FieldValue.of("10.0.0.1"), FieldValue.of("10.0.0.2"), FieldValue.of("::1"))),
        e.fields().get("origin.ip"));
    assertEquals(FieldValue.of("x"), e.fields().get("origin.software"));
  }

  @Test
  void nilValuesEverywhere() {
    LogEvent e = ok("<13>1 - - - - - -");
    header(e, Facility.USER, Severity.NOTICE, null, null);
    assertEquals(RECEIVED, e.timestampNanos(), "no TIMESTAMP: the receive time");
    assertTrue(e.fields().isEmpty());
    assertEquals("", e.message());

    e = ok("<0>1 - - - - - - msg with - dashes -");
    header(e, Facility.KERN, Severity.EMERG, null, null);
    assertEquals("msg with - dashes -", e.message());
  }

  @Test
  void procIdAndMsgId() {
    assertEquals(FieldValue.of("worker-3"), ok("<13>1 - h a worker-3 - - x").fields().get("pid"));
    assertEquals(FieldValue.of(42), ok("<13>1 - h a 42 - - x").fields().get("pid"));
    assertEquals(FieldValue.of("1234567890123456789012"), ok("<13>1 - h a 1234567890123456789012 - - x").fields().get("pid"),
        "too long for a long: kept as text");
    assertEquals(FieldValue.of("TCPIN"), ok("<13>1 - h a - TCPIN - x").fields().get("msgid"));
  }

  @Test
  void rfc5424Timestamps() {
    assertEquals(nanos("2026-11-23T10:00:00.123456789Z"), ok("<13>1 2026-11-23T10:00:00.123456789Z h a - - -").timestampNanos());
    assertEquals(nanos("2026-11-23T10:00:00.1Z"), ok("<13>1 2026-11-23T10:00:00.1Z h a - - -").timestampNanos());
    assertEquals(nanos("2026-11-23T10:00:00Z"), ok("<13>1 2026-11-23T15:30:00+05:30 h a - - -").timestampNanos());
    assertEquals(nanos("2026-11-23T10:00:00Z"), ok("<13>1 2026-11-23t09:00:00-0100 h a - - -").timestampNanos());
    assertEquals(nanos("2024-02-29T23:59:59.999999Z"), ok("<13>1 2024-02-29T23:59:59.999999Z h a - - -").timestampNanos());
    assertEquals(nanos("1970-01-01T00:00:00Z"), ok("<13>1 1970-01-01T00:00:00Z h a - - -").timestampNanos());
  }

  @Test
  void ipv6Hostnames() {
    assertEquals("2001:db8::1", ok("<13>1 2026-11-23T10:00:00Z 2001:db8::1 app - - - x").host());
    LogEvent e = ok("<38>Nov 23 10:00:00 2001:db8::1 sshd[4]: x");
    header(e, Facility.AUTH, Severity.INFO, "2001:db8::1", "sshd");
    e = ok("<38>Nov 23 10:00:00 fe80:: sshd[4]: x");
    header(e, Facility.AUTH, Severity.INFO, "fe80::", "sshd");
    assertEquals("x", e.message());
  }

  @Test
  void missingStructuredDataIsAccepted() {
    LogEvent e = ok("<13>1 2026-11-23T10:00:00Z h app 1 ID plain text");
    assertEquals("plain text", e.message());
    assertEquals(Map.of("pid", FieldValue.of(1), "msgid", FieldValue.of("ID")), e.fields());
    assertEquals("-x", ok("<13>1 - h app - - -x").message());
  }

  // ---- RFC 3164 ----

  @Test
  void rfc3164Section54Examples() {
    LogEvent e = ok("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8");
    header(e, Facility.AUTH, Severity.CRIT, "mymachine", "su");
    assertEquals(nanos("2026-10-11T22:14:15Z"), e.timestampNanos());
    assertEquals("'su root' failed for lonvick on /dev/pts/8", e.message());
    assertTrue(e.fields().isEmpty());

    e = ok("<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!");
    header(e, Facility.USER, Severity.NOTICE, "10.0.0.99", null);
    assertEquals(nanos("2026-02-05T17:32:18Z"), e.timestampNanos(), "a February line read in November is this year's");
    assertEquals("Use the BFG!", e.message());

    // The RFC's own reading: a relay takes "CST" for the host and the rest as content.
    e = ok("<165>Aug 24 05:34:00 CST 1987 mymachine myproc[10]: %% It's time to make the do-nuts.  %%  Ingredients: "
        + "Mix=OK, Jelly=OK # Devices: Mixer=OK, Jelly_Injector=OK, Frier=OK # Transport: Conveyer1=OK, Conveyer2=OK # %%");
    header(e, Facility.LOCAL4, Severity.NOTICE, "CST", null);
    assertEquals(nanos("2026-08-24T05:34:00Z"), e.timestampNanos());
    assertTrue(e.message().startsWith("1987 mymachine myproc[10]: %% It's time"), e.message());

    e = ok("<0>1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!");
    header(e, Facility.KERN, Severity.EMERG, null, null);
    assertEquals(RECEIVED, e.timestampNanos());
    assertEquals("1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!", e.message());

    e = ok("<0>Oct 22 10:52:12 scapegoat 1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!");
    header(e, Facility.KERN, Severity.EMERG, "scapegoat", null);
    assertEquals(nanos("2026-10-22T10:52:12Z"), e.timestampNanos());
    assertEquals("1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!", e.message());
  }

  @Test
  void realWorldDaemons() {
    LogEvent e = ok("<86>Nov 23 09:59:58 web-1 sshd[812]: Accepted publickey for deploy from 10.0.0.5 port 52144 ssh2: ED25519 SHA256:x");
    header(e, Facility.AUTHPRIV, Severity.INFO, "web-1", "sshd");
    assertEquals(Map.of("pid", FieldValue.of(812)), e.fields());
    assertEquals("Accepted publickey for deploy from 10.0.0.5 port 52144 ssh2: ED25519 SHA256:x", e.message());
    assertEquals(nanos("2026-11-23T09:59:58Z"), e.timestampNanos());

    e = ok("<30>Nov 23 09:59:58 web-1 systemd[1]: Started Session 42 of User root.");
    header(e, Facility.DAEMON, Severity.INFO, "web-1", "systemd");
    assertEquals("Started Session 42 of User root.", e.message());

    e = ok("<78>Nov 23 09:59:01 web-1 CRON[20412]: (root) CMD (run-parts /etc/cron.hourly)");
    header(e, Facility.CRON, Severity.INFO, "web-1", "CRON");
    assertEquals(FieldValue.of(20412), e.fields().get("pid"));
    assertEquals("(root) CMD (run-parts /etc/cron.hourly)", e.message());

    e = ok("<22>Nov 23 09:59:58 mail-1 postfix/smtpd[1234]: connect from unknown[10.0.0.1]");
    header(e, Facility.MAIL, Severity.INFO, "mail-1", "postfix/smtpd");
    assertEquals(FieldValue.of(1234), e.fields().get("pid"));
    assertEquals("connect from unknown[10.0.0.1]", e.message());

    e = ok("<4>Nov 23 09:59:58 web-1 kernel: [12345.678] eth0: link down");
    header(e, Facility.KERN, Severity.WARN, "web-1", "kernel");
    assertTrue(e.fields().isEmpty());
    assertEquals("[12345.678] eth0: link down", e.message());

    // logger --rfc3164 (the tag defaults to the user name)
    e = ok("<13>Nov 23 09:59:58 web-1 alice: hello world");
    header(e, Facility.USER, Severity.NOTICE, "web-1", "alice");
    assertEquals("hello world", e.message());

    e = ok("<190>Nov 23 10:00:00 web-1 nginx: 127.0.0.1 - - [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.5.0\"");
    header(e, Facility.LOCAL7, Severity.INFO, "web-1", "nginx");
    assertEquals(NOW, e.timestamp());
    assertEquals("127.0.0.1 - - [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.5.0\"", e.message());
  }

  @Test
  void rsyslogForwardFormat() {
    LogEvent e = ok("<13>2024-03-05T10:11:12.123456+01:00 web-1 sshd[812]: Connection closed by 10.0.0.9");
    header(e, Facility.USER, Severity.NOTICE, "web-1", "sshd");
    assertEquals(nanos("2024-03-05T09:11:12.123456Z"), e.timestampNanos());
    assertEquals(FieldValue.of(812), e.fields().get("pid"));
    assertEquals("Connection closed by 10.0.0.9", e.message());
    // Without an offset the time is in the parser's zone (UTC here).
    assertEquals(nanos("2024-03-05T10:11:12Z"), ok("<13>2024-03-05T10:11:12 web-1 app: x").timestampNanos());
  }

  @Test
  void headerVariants() {
    LogEvent e = ok("<13>Oct 11 22:14:15 su: msg");
    header(e, Facility.USER, Severity.NOTICE, null, "su");
    assertEquals("msg", e.message());

    e = ok("<30>Nov 23 09:59:58 systemd[1]: Started foo.service.");
    header(e, Facility.DAEMON, Severity.INFO, null, "systemd");
    assertEquals(FieldValue.of(1), e.fields().get("pid"));

    e = ok("<13>myapp: msg");
    header(e, Facility.USER, Severity.NOTICE, null, "myapp");
    assertEquals(RECEIVED, e.timestampNanos(), "no timestamp: the receive time");
    assertEquals("msg", e.message());

    e = ok("<13>Oct  1 22:14:15 host just some words");
    header(e, Facility.USER, Severity.NOTICE, "host", null);
    assertEquals(nanos("2026-10-01T22:14:15Z"), e.timestampNanos());
    assertEquals("just some words", e.message());

    e = ok("<13>Oct 1 22:14:15.250 host app[x-1] m");
    header(e, Facility.USER, Severity.NOTICE, "host", "app");
    assertEquals(nanos("2026-10-01T22:14:15.250Z"), e.timestampNanos());
    assertEquals(FieldValue.of("x-1"), e.fields().get("pid"));
    assertEquals("m", e.message());

    // Cisco-like: a year before the time and a ':' after it.
    e = ok("<189>Mar  1 2025 18:46:11.123: %SYS-5-CONFIG_I: Configured from console");
    assertEquals(nanos("2025-03-01T18:46:11.123Z"), e.timestampNanos());
    assertNull(e.host());
    assertEquals("%SYS-5-CONFIG_I", e.service());
    assertEquals("Configured from console", e.message());

    e = ok("<13>Oct 11 22:14:15 host http://example.com/ is down");
    header(e, Facility.USER, Severity.NOTICE, "host", null);
    assertEquals("http://example.com/ is down", e.message());

    e = ok("<13>Oct 11 22:14:15 lonely");
    header(e, Facility.USER, Severity.NOTICE, null, null);
    assertEquals("lonely", e.message());

    e = ok("<13>just a message");
    header(e, Facility.USER, Severity.NOTICE, null, null);
    assertEquals("just a message", e.message());
    assertEquals(RECEIVED, e.timestampNanos());

    e = ok("<13>Oct 11 22:14:15 host app: \uFEFFbom");
    assertEquals("bom", e.message());
  }

  @Test
  void missingPriIsUserNotice() {
    LogEvent e = ok("Oct 11 22:14:15 host app[9]: hello");
    header(e, Facility.USER, Severity.NOTICE, "host", "app");
    assertEquals("hello", e.message());
    e = ok("plain text line");
    header(e, Facility.USER, Severity.NOTICE, null, null);
    assertEquals("plain text line", e.message());
  }

  @Test
  void trailingNewlinesAndNulAreIgnored() {
    assertEquals("hello", ok("<13>Oct 11 22:14:15 host app: hello\r\n").message());
    assertEquals("hello", ok("<13>1 - h a - - - hello\n\0").message());
    assertEquals("a\nb", ok("<13>1 - h a - - - a\nb\n").message(), "inner newlines stay");
  }

  @Test
  void allPrioritiesMapToCanonicalNames() {
    for (int pri = 0; pri <= 191; pri++) {
      LogEvent e = ok("<" + pri + ">x: y");
      assertEquals(Facility.fromCode(pri / 8), e.facility());
      assertEquals(Severity.fromSyslogCode(pri % 8), e.level());
    }
  }

  // ---- years and zones ----

  static SyslogParser at(String now, ZoneId zone) {
    return new SyslogParser(zone, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
  }

  @Test
  void yearIsTheLatestNotMoreThanAWeekAhead() {
    SyslogParser newYear = at("2027-01-01T00:00:30Z", ZoneOffset.UTC);
    assertEquals(nanos("2026-12-31T23:59:59Z"), ok(newYear, "<13>Dec 31 23:59:59 h a: x").timestampNanos());
    assertEquals(nanos("2027-01-01T00:00:01Z"), ok(newYear, "<13>Jan  1 00:00:01 h a: x").timestampNanos());

    SyslogParser newYearsEve = at("2026-12-31T23:59:00Z", ZoneOffset.UTC);
    assertEquals(nanos("2027-01-01T00:00:01Z"), ok(newYearsEve, "<13>Jan  1 00:00:01 h a: x").timestampNanos());
    assertEquals(nanos("2026-12-31T23:58:00Z"), ok(newYearsEve, "<13>Dec 31 23:58:00 h a: x").timestampNanos());
    assertEquals(nanos("2026-10-01T00:00:00Z"), ok(newYearsEve, "<13>Oct  1 00:00:00 h a: x").timestampNanos());
    assertEquals(nanos("2026-03-01T00:00:00Z"), ok(newYearsEve, "<13>Mar  1 00:00:00 h a: x").timestampNanos());
    // A sender whose clock runs a few days fast stays in this year; more than a week ahead is last year's.
    SyslogParser midYear = at("2026-06-10T00:00:00Z", ZoneOffset.UTC);
    assertEquals(nanos("2026-06-15T00:00:00Z"), ok(midYear, "<13>Jun 15 00:00:00 h a: x").timestampNanos());
    assertEquals(nanos("2025-06-20T00:00:00Z"), ok(midYear, "<13>Jun 20 00:00:00 h a: x").timestampNanos());

    // Feb 29 goes to the latest leap year that fits; with none of last, this or next year, it is no time.
    assertEquals(nanos("2024-02-29T12:00:00Z"), ok(at("2025-12-01T00:00:00Z", ZoneOffset.UTC), "<13>Feb 29 12:00:00 h a: x")
        .timestampNanos());
    LogEvent e = ok(at("2030-06-01T00:00:00Z", ZoneOffset.UTC), "<13>Feb 29 12:00:00 h a: x");
    assertEquals(RECEIVED, e.timestampNanos());
    assertEquals("Feb 29 12:00:00 h a: x", e.message());
  }

  @Test
  void bsdTimesAreReadInTheZone() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    SyslogParser p = at("2026-11-23T10:00:00Z", berlin);
    assertEquals(nanos("2026-07-01T10:00:00Z"), ok(p, "<13>Jul  1 12:00:00 h a: x").timestampNanos());
    assertEquals(nanos("2026-11-01T11:00:00Z"), ok(p, "<13>Nov  1 12:00:00 h a: x").timestampNanos());
    assertEquals(nanos("2026-07-01T10:00:00Z"), ok(p, "<13>2026-07-01T12:00:00 h a: x").timestampNanos());
    assertEquals(nanos("2026-07-01T12:00:00Z"), ok(p, "<13>2026-07-01T12:00:00Z h a: x").timestampNanos(),
        "an explicit offset wins");
    // Around the 2026 transitions (Mar 29 02:00 -> 03:00, Oct 25 03:00 -> 02:00) java.time agrees.
    SyslogParser summer = at("2026-11-01T00:00:00Z", berlin);
    for (String local : List.of("2026-03-29T01:59:59", "2026-03-29T02:30:00", "2026-03-29T03:00:00",
        "2026-10-25T01:59:59", "2026-10-25T02:30:00", "2026-10-25T03:00:00")) {
      LocalDateTime t = LocalDateTime.parse(local);
      long expected = LogEvent.toNanos(t.atZone(berlin).toInstant());
      assertEquals(expected, ok(p, "<13>" + local + " h a: x").timestampNanos(), local);
      String bsd = String.format("<13>%s %2d %s h a: x",
          t.getMonth().name().charAt(0) + t.getMonth().name().substring(1, 3).toLowerCase(), t.getDayOfMonth(), local.substring(11));
      assertEquals(expected, ok(summer, bsd).timestampNanos(), bsd);
    }
    // The zone's "now" decides the year: 23:30 UTC on Dec 31 is already Jan 1 in Berlin.
    SyslogParser eve = at("2026-12-31T23:30:00Z", berlin);
    assertEquals(nanos("2026-12-31T23:20:00Z"), ok(eve, "<13>Jan  1 00:20:00 h a: x").timestampNanos());
  }

  // ---- malformed ----

  @Test
  void malformedInputsSayWhyAndWhere() {
    assertEquals("empty message", malformed(""));
    assertEquals("empty message", malformed("\r\n"));
    assertEquals("empty message", malformed(null));
    assertEquals("PRI: expected a number after '<' at column 2", malformed("<"));
    assertEquals("PRI: expected a number after '<' at column 2", malformed("<>x"));
    assertEquals("PRI: 999 is out of range 0..191 at column 2", malformed("<999>x"));
    assertEquals("PRI: 192 is out of range 0..191 at column 2", malformed("<192>x"));
    assertEquals("PRI: more than 3 digits at column 2", malformed("<0013>x"));
    assertEquals("PRI: expected '>' at column 4", malformed("<13"));
    assertEquals("PRI: expected '>' at column 4", malformed("<13 Oct 11 22:14:15 host app: x"));
    assertEquals("TIMESTAMP: date or time out of range at column 7", malformed("<13>1 2026-13-01T00:00:00Z h a - - - x"));
    assertEquals("TIMESTAMP: time outside 1970..2262 at column 7", malformed("<13>1 1969-12-31T23:59:59Z h a - - - x"));
    assertEquals("TIMESTAMP: time outside 1970..2262 at column 7", malformed("<13>1 2263-01-01T00:00:00Z h a - - - x"));
    assertTrue(malformed("<13>1 2026-11-23 10:00:00Z h a - - - x").startsWith("TIMESTAMP: expected an RFC 3339 date-time"));
    assertEquals("TIMESTAMP: expected ' ' after it at column 27", malformed("<13>1 2026-11-23T10:00:00Zh a - - - x"));
    assertEquals("APP-NAME: missing at column 13", malformed("<13>1 - host"));
    assertEquals("MSGID: missing at column 17", malformed("<13>1 - host a 1"));
  }

  @Test
  void malformedStructuredData() {
    String head = "<13>1 2026-11-23T10:00:00Z h a - - ";
    int col = head.length() + 1;
    assertEquals("structured data: unterminated element starting at column " + col, malformed(head + "[x@1 a=\"b\""));
    assertEquals("structured data: unterminated element starting at column " + col, malformed(head + "[x@1"));
    assertEquals("structured data: unterminated value starting at column " + (col + 7), malformed(head + "[x@1 a=\"b] msg"));
    assertEquals("structured data: unterminated value starting at column " + (col + 7), malformed(head + "[x@1 a=\"b\\\"]"));
    assertEquals("structured data: expected '\"' at column " + (col + 7), malformed(head + "[x@1 a=b] msg"));
    assertEquals("structured data: expected '=' at column " + (col + 6), malformed(head + "[x@1 a] msg"));
    assertEquals("structured data: expected an SD-ID at column " + (col + 1), malformed(head + "[] msg"));
    assertEquals("structured data: expected an SD-ID at column " + (col + 1), malformed(head + "[ a=\"b\"] msg"));
    assertEquals("structured data: expected ' ' or ']' at column " + (col + 10), malformed(head + "[x@1 a=\"b\"c=\"d\"] msg"));
    assertEquals("structured data: expected a parameter name at column " + (col + 5), malformed(head + "[x@1 =\"b\"] msg"));
    assertEquals("structured data: unterminated element starting at column " + (col + 11),
        malformed(head + "[x@1 a=\"b\"][y"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\0", "\uFFFF\uFFFE", "\uD800", "<\uD800>", "<13>\uDC00\uD800", "<13>1 \uFEFF", "<13>1 -", "<13>1 - ",
      "<13>1 2", "<13>Oct", "<13>Oct 11", "<13>Oct 11 22:14", "<13>Oct 11 22:14:15", "<13>Oct 11 22:14:15 ",
      "<13>Oct 99 22:14:15 h a: x", "<13>Oct 11 29:14:15 h a: x", "<13>2026-11-23T10:00:00.Z h a: x",
      "<13>9999-99-99T99:99:99Z", "<13>[", "<13>a[", "<13>a[1", "<13>:", "<13>a:", "<13>1 - - - - - [",
      "<13>1 - - - - - [a", "<13>1 - - - - - [a b=\"\\", "\u0000<13>", "<191>1 - - - - - - \uFEFF"})
  void garbageNeverThrows(String line) {
    var r = parser.parse(line, RECEIVED);
    if (r instanceof Message m) {
      m.event().build();
    }
    SyslogParser.looksLike(line);
  }

  @Test
  void longMessagesAndRepeatedTokens() {
    String big = "x".repeat(100_000);
    assertEquals(big, ok("<13>1 - h a - - - " + big).message());
    assertEquals("small", ok("<13>1 - h a - - - small").message(), "the reader recovers after a big message");
    // Hosts, services and SD names seen before are handed out as one String.
    LogEvent a = ok("<13>1 - web-1 api - - [x@1 k=\"v\"] m");
    LogEvent b = ok("<13>1 - web-1 api - - [x@1 k=\"w\"] m");
    assertSame(a.host(), b.host());
    assertSame(a.service(), b.service());
    assertSame(a.fields().keySet().iterator().next(), b.fields().keySet().iterator().next());
  }

  @Test
  void oneParserServesManyThreads() throws Exception {
    List<String> lines = List.of(
        "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed",
        "<190>Nov 23 10:00:00 web-1 nginx: 127.0.0.1 - - \"GET / HTTP/1.1\" 200 612",
        "<13>1 2026-11-23T10:00:00.123456+00:00 host user - - [timeQuality tzKnown=\"1\"][a@1 iut=\"3\"] hello",
        "<22>Nov 23 09:59:58 mail-1 postfix/smtpd[1234]: connect from unknown[10.0.0.1]");
    List<LogEvent> expected = lines.stream().map(this::ok).toList();
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    for (int t = 0; t < 4; t++) {
      int offset = t;
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          for (int i = 0; i < 20_000; i++) {
            int k = (i + offset) % lines.size();
            assertEquals(expected.get(k), ok(lines.get(k)));
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  // ---- detection ----

  @ParameterizedTest
  @ValueSource(strings = {"<13>x", "<0>", "<191>1 - - - - - -", "Oct 11 22:14:15 host su: x", "Oct  1 22:14:15 host x",
      "Oct 11 22:14:15.123 host x", "2024-03-05T10:11:12.123456+01:00 web-1 sshd[812]: x", "2024-03-05T10:11:12Z web-1 app: x",
      "2024-03-05T10:11:12Z web-1 app[1] x"})
  void looksLikeSyslog(String line) {
    assertTrue(SyslogParser.looksLike(line), line);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "<", "<x>", "<1234>", "{\"a\":1}", "level=info msg=x", "127.0.0.1 - - [23/Nov/2026:10:00:00 +0000] \"GET",
      "2024-03-05T10:11:12Z INFO started", "2024-03-05T10:11:12Z", "2024-03-05 10:11:12 web-1 app: x", "Oct 11 22:14:15",
      "Oct 11 22:14:15 ", "October 11 22:14:15 host x", "Oct 32 22:14:15 host x"})
  void looksLikeSomethingElse(String line) {
    assertFalse(SyslogParser.looksLike(line), line);
  }
}
