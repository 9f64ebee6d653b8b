package io.logd.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.Facility;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventReaderTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final long RECEIVED = LogEvent.toNanos(NOW);
  private static final String NGINX_BODY = "203.0.113.7 - - [23/Nov/2026:11:59:58 +0000] "
      + "\"GET /api/v1/users?id=7 HTTP/1.1\" 404 153 \"-\" \"curl/8.5.0\"";

  private static EventReader syslog(String rules) {
    return EventReader.syslog(ZoneOffset.UTC, CLOCK, service -> {
      if (rules.isEmpty()) {
        return BodyFormat.AUTO;
      }
      for (String r : rules.split(",")) {
        String[] kv = r.split("=");
        if (kv[0].equals(service)) {
          return BodyFormat.parse(kv[1]);
        }
      }
      return BodyFormat.AUTO;
    });
  }

  @Test
  void nginxOverSyslogIsParsedByDetection() {
    LogEvent e = syslog("").read("<190>Nov 23 11:59:58 web-1 nginx: " + NGINX_BODY, RECEIVED);
    assertEquals("web-1", e.host());
    assertEquals("nginx", e.service());
    assertEquals(Facility.LOCAL7, e.facility());
    assertEquals(Severity.INFO, e.level());
    assertEquals(NGINX_BODY, e.message());
    assertEquals(FieldValue.of(404), e.fields().get("status"));
    assertEquals(FieldValue.of("GET"), e.fields().get("method"));
    assertEquals(FieldValue.of("203.0.113.7"), e.fields().get("client_ip"));
    assertFalse(e.fields().containsKey(EventReader.PARSE_ERROR));
  }

  @Test
  void aRuleThatDoesNotFitKeepsTheBodyWithParseError() {
    LogEvent e = syslog("app=nginx").read("<14>1 2026-11-23T11:00:00Z h app - - - not an access line", RECEIVED);
    assertEquals("not an access line", e.message());
    assertTrue(e.fields().get(EventReader.PARSE_ERROR) instanceof FieldValue.StringValue s
        && s.value().startsWith("nginx"), e.fields().toString());
  }

  @Test
  void rawRuleKeepsTheBodyAsIs() {
    LogEvent e = syslog("app=raw").read("<14>1 2026-11-23T11:00:00Z h app - - - " + NGINX_BODY, RECEIVED);
    assertNull(e.fields().get("status"));
    assertFalse(e.fields().containsKey(EventReader.PARSE_ERROR));
  }

  @Test
  void plainTextInAutoIsNotAnError() {
    LogEvent e = syslog("").read("<38>Nov 23 11:59:58 host sshd[812]: Accepted publickey for root", RECEIVED);
    assertEquals("sshd", e.service());
    assertEquals(FieldValue.of(812), e.fields().get("pid"));
    assertEquals("Accepted publickey for root", e.message());
    assertFalse(e.fields().containsKey(EventReader.PARSE_ERROR));
  }

  @Test
  void ceeJsonBodyGivesItsFields() {
    LogEvent e = syslog("").read(
        "<13>Nov 23 11:59:58 host app: @cee: {\"msg\":\"user login\",\"level\":\"warn\",\"user\":{\"id\":7}}", RECEIVED);
    assertEquals("user login", e.message());
    assertEquals(Severity.WARN, e.level());
    assertEquals(FieldValue.of(7), e.fields().get("user.id"));
  }

  @Test
  void aMalformedHeaderIsKeptWholeWithParseError() {
    LogEvent e = syslog("").read("<999>garbage", RECEIVED);
    assertEquals("<999>garbage", e.message());
    assertTrue(e.fields().containsKey(EventReader.PARSE_ERROR));
    assertEquals(RECEIVED, e.timestampNanos());
  }

  @Test
  void truncatedIsFlagged() {
    LogEvent e = syslog("").read("<13>Nov 23 11:59:58 host app: cut her", RECEIVED, true);
    assertEquals(FieldValue.of(true), e.fields().get(EventReader.TRUNCATED));
  }

  @Test
  void linesInAutoDetectSyslogAndBodies() {
    EventReader r = EventReader.lines(EventReader.LineFormat.AUTO, ZoneOffset.UTC, CLOCK, "import-host", "imported");
    LogEvent nginx = r.read(NGINX_BODY + "\n", RECEIVED);
    assertEquals(FieldValue.of(404), nginx.fields().get("status"));
    assertEquals("import-host", nginx.host());
    assertEquals("imported", nginx.service());
    assertEquals(Instant.parse("2026-11-23T11:59:58Z"), nginx.timestamp());

    LogEvent sys = r.read("<13>1 2026-11-23T10:00:00Z web-2 api - - - hello", RECEIVED);
    assertEquals("web-2", sys.host());
    assertEquals("api", sys.service());

    LogEvent text = r.read("nothing to see here", RECEIVED);
    assertEquals("nothing to see here", text.message());
    assertEquals("imported", text.service());
    assertEquals(RECEIVED, text.timestampNanos());
    assertFalse(text.fields().containsKey(EventReader.PARSE_ERROR));
  }

  @Test
  void anExplicitLineFormatFlagsLinesThatDoNotFit() {
    EventReader r = EventReader.lines(EventReader.LineFormat.JSON, ZoneOffset.UTC, CLOCK, null, null);
    assertTrue(r.read("{\"message\":\"ok\"}", RECEIVED).fields().isEmpty());
    assertTrue(r.read("not json", RECEIVED).fields().containsKey(EventReader.PARSE_ERROR));
    EventReader s = EventReader.lines(EventReader.LineFormat.SYSLOG, ZoneOffset.UTC, CLOCK, null, null);
    assertTrue(s.read("<999>x", RECEIVED).fields().containsKey(EventReader.PARSE_ERROR));
  }

  @Test
  void neverThrowsOnRandomInput() {
    long seed = System.nanoTime();
    System.out.println("EventReaderTest seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    String[] seeds = {"<13>1 2026-11-23T10:00:00Z h a p m [x a=\"1\"] b", "<190>Nov 23 11:59:58 web-1 nginx: " + NGINX_BODY,
        "@cee: {\"a\":1}", "a=1 b=\"2\"", "2025/11/17 10:15:23.123 from tcp:1.2.3.4:5 accepted tcp:x:443 [a >> b]"};
    EventReader[] readers = {syslog(""), syslog("nginx=nginx,a=json,h=logfmt"),
        EventReader.lines(EventReader.LineFormat.AUTO, ZoneOffset.UTC, CLOCK, null, null),
        EventReader.lines(EventReader.LineFormat.XRAY, ZoneOffset.UTC, CLOCK, null, null)};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder(seeds[rnd.nextInt(seeds.length)]);
      for (int m = rnd.nextInt(4); m > 0 && sb.length() > 0; m--) {
        int at = rnd.nextInt(sb.length());
        switch (rnd.nextInt(3)) {
          case 0 -> sb.deleteCharAt(at);
          case 1 -> sb.insert(at, (char) rnd.nextInt(0x20, 0x7f));
          default -> sb.setLength(at);
        }
      }
      for (EventReader r : readers) {
        r.read(sb.toString(), RECEIVED, rnd.nextBoolean());
      }
    }
  }
}
