package io.logd.parse.xray;

import static io.logd.testing.BodyParserChecks.HEADER_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.testing.BodyParserChecks;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XrayParserTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  final XrayParser parser = new XrayParser(BERLIN);

  LogEvent ok(String line) {
    return BodyParserChecks.parsed(parser, line);
  }

  String refused(String line) {
    return BodyParserChecks.refused(parser, line);
  }

  static Map<String, FieldValue> fields(Object... kv) {
    Map<String, FieldValue> m = new LinkedHashMap<>();
    m.put("pid", FieldValue.of(42));
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1] instanceof Integer n ? FieldValue.of(n.longValue()) : FieldValue.of((String) kv[i + 1]));
    }
    return m;
  }

  static final Map<String, FieldValue> EXAMPLE = fields(
      "source_ip", "192.168.0.10", "source_port", 54321, "dest_host", "example.com", "dest_port", 443,
      "network", "tcp", "action", "accepted", "inbound", "inbound", "outbound", "direct", "email", "user@example.com");

  @ParameterizedTest
  @ValueSource(strings = {
    "2025/11/17 10:15:23.123 from tcp:192.168.0.10 : 54321 accepted tcp:example.com : 443 [inbound >> direct] email:user@example.com",
    "2025/11/17 10:15:23.123 from tcp:192.168.0.10:54321 accepted tcp:example.com:443 [inbound >> direct] email: user@example.com",
    "2025/11/17 10:15:23.123 from tcp:192.168.0.10:54321 accepted tcp:example.com:443 [inbound -> direct] email: user@example.com",
    "2025/11/17 10:15:23.123 from tcp:192.168.0.10:54321 accepted tcp:example.com:443 [inbound ==> direct] email: user@example.com",
    "2025/11/17 10:15:23.123000 from 192.168.0.10:54321 accepted tcp:example.com:443 [inbound >> direct] email: user@example.com",
    "2025/11/17 10:15:23.123 192.168.0.10:54321 accepted tcp:example.com:443 [inbound >> direct] email:user@example.com ",
  })
  void theExampleInEveryVariant(String line) {
    LogEvent e = ok(line);
    assertEquals(Instant.parse("2025-11-17T09:15:23.123Z"), e.timestamp(), "local time in Berlin (UTC+1)");
    assertEquals(EXAMPLE, e.fields());
    assertEquals(line, e.message());
    assertEquals(Severity.NOTICE, e.level());
  }

  @Test
  void microsecondsIpv6AndUdp() {
    LogEvent e = ok("2025/11/17 10:15:23.123456 from [2001:db8::1]:443 accepted udp:[2001:4860:4860::8888]:53 "
        + "[dns-in >> dns-out]");
    assertEquals(Instant.parse("2025-11-17T09:15:23.123456Z"), e.timestamp());
    assertEquals(fields("source_ip", "2001:db8::1", "source_port", 443, "dest_host", "2001:4860:4860::8888",
        "dest_port", 53, "network", "udp", "action", "accepted", "inbound", "dns-in", "outbound", "dns-out"), e.fields());
    e = ok("2024/11/12 15:18:07 from tcp:[2001:db8::7] : 51234 accepted udp:8.8.8.8:53 [socks -> proxy12]");
    assertEquals(FieldValue.of("2001:db8::7"), e.fields().get("source_ip"));
    assertEquals(FieldValue.of("udp"), e.fields().get("network"));
    assertEquals(FieldValue.of("8.8.8.8"), e.fields().get("dest_host"));
  }

  @Test
  void aSingleRouteTagIsTheOutbound() {
    // xray writes only the outbound's tag when the inbound has none: Detour = handler.Tag()
    LogEvent e = ok("2023/03/01 10:00:00 tcp:1.2.3.4:5555 accepted tcp:www.google.com:443 [direct] email:a@b ");
    assertEquals(FieldValue.of("direct"), e.fields().get("outbound"));
    assertNull(e.fields().get("inbound"));
    assertEquals(FieldValue.of("a@b"), e.fields().get("email"));
    assertEquals(Instant.parse("2023-03-01T09:00:00Z"), e.timestamp());
  }

  @Test
  void rejectedLinesKeepTheReason() {
    LogEvent e = ok("2025/08/24 18:40:35.667467 from 203.0.113.50:57676 rejected  proxy/vless/encoding: invalid request user id");
    assertEquals(fields("source_ip", "203.0.113.50", "source_port", 57676, "action", "rejected",
        "reason", "proxy/vless/encoding: invalid request user id"), e.fields());
    assertEquals(Instant.parse("2025-08-24T16:40:35.667467Z"), e.timestamp(), "CEST is UTC+2");

    e = ok("2023/01/09 13:03:49 119.160.69.241:21930 rejected  proxy/vless/encoding: failed to read request version > "
        + "read tcp 2.26.14.170:28820->119.160.69.241:21930: read: connection timed out");
    assertEquals(FieldValue.of("119.160.69.241"), e.fields().get("source_ip"));
    assertTrue(e.fields().get("reason").asText().endsWith("read: connection timed out"));
    assertNull(e.fields().get("dest_host"));

    e = ok("2019/09/18 11:56:53 tcp:127.0.0.1:5540 rejected  v2ray.com/core/proxy/socks: unknown Socks version: 67");
    assertEquals(FieldValue.of("127.0.0.1"), e.fields().get("source_ip"));
    assertEquals(FieldValue.of("v2ray.com/core/proxy/socks: unknown Socks version: 67"), e.fields().get("reason"));

    e = ok("2021/11/10 20:13:08 198.51.100.23:58347 rejected  proxy/trojan: not trojan protocol");
    assertEquals(FieldValue.of("rejected"), e.fields().get("action"));

    e = ok("2025/11/17 10:15:23 from 10.0.0.2:40000 rejected tcp:ads.example:443 [in -> block]");
    assertEquals(FieldValue.of("ads.example"), e.fields().get("dest_host"));
    assertEquals(FieldValue.of("block"), e.fields().get("outbound"));
    assertNull(e.fields().get("reason"));
  }

  @Test
  void olderLinesWithEmailAndNoRoute() {
    LogEvent e = ok("2021/11/10 20:13:01 198.51.100.23:58217 accepted tcp:github.com:443 email: love@example.com");
    assertEquals(fields("source_ip", "198.51.100.23", "source_port", 58217, "dest_host", "github.com", "dest_port", 443,
        "network", "tcp", "action", "accepted", "email", "love@example.com"), e.fields());
    e = ok("2017/11/21 20:09:25 120.0.0.9:40086 accepted tcp:18.195.92.160:80");
    assertEquals(FieldValue.of(80), e.fields().get("dest_port"));
    assertEquals(FieldValue.of("myiphere"), ok("2025/08/24 18:40:35.667467 from myiphere:57676 rejected  x").fields().get("source_ip"));
  }

  @Test
  void withoutATimestampTheEventsTimeStays() {
    LogEvent e = ok("from 10.0.0.1:1234 accepted tcp:a.example:80 [in -> out]");
    assertEquals(HEADER_TIME, e.timestampNanos());
    assertEquals(FieldValue.of("out"), e.fields().get("outbound"));
  }

  @Test
  void zones() {
    String line = "2025/07/01 12:00:00 from 10.0.0.1:1 accepted tcp:a:1";
    assertEquals(Instant.parse("2025-07-01T12:00:00Z"),
        BodyParserChecks.parsed(new XrayParser(ZoneOffset.UTC), line).timestamp());
    assertEquals(Instant.parse("2025-07-01T10:00:00Z"), ok(line).timestamp());
    // 02:30 does not exist in Berlin on 2025-03-30; java.time moves it forward by the gap
    assertEquals(Instant.parse("2025-03-30T01:30:00Z"),
        ok("2025/03/30 02:30:00 from 10.0.0.1:1 accepted tcp:a:1").timestamp());
  }

  @Test
  void refusalsChangeNothing() {
    assertTrue(refused("2025/11/17 10:15:23 [Info] [2419787188] app/dispatcher: taking detour [proxy12] for "
        + "[tcp:www.google.com:443]").startsWith("xray: expected 'accepted' or 'rejected'"));
    assertTrue(refused("2025/11/17 10:15:23 127.0.0.1:53 got answer: example.com. TypeA -> [1.2.3.4] 5ms")
        .startsWith("xray: expected 'accepted' or 'rejected'"));
    assertEquals("xray: cannot read the time '2025/13/17 10:15:23'",
        refused("2025/13/17 10:15:23 from 1.2.3.4:5 accepted tcp:a:1"));
    assertEquals("xray: cannot read the time '2025/02/29 10:15:23'",
        refused("2025/02/29 10:15:23 from 1.2.3.4:5 accepted tcp:a:1"));
    assertEquals("xray: cannot read the time '1960/02/01 10:15:23'",
        refused("1960/02/01 10:15:23 from 1.2.3.4:5 accepted tcp:a:1"));
    assertEquals("xray: cannot read the time's fraction at column 21",
        refused("2025/11/17 10:15:23. from 1.2.3.4:5 accepted tcp:a:1"));
    assertEquals("xray: cannot read the source address 'nowhere' at column 26",
        refused("2025/11/17 10:15:23 from nowhere accepted tcp:a:1"));
    assertEquals("xray: cannot read the source address '1.2.3.4:99999' at column 6",
        refused("from 1.2.3.4:99999 accepted tcp:a:1"));
    assertTrue(refused("the user accepted the terms").startsWith("xray: cannot read the source address"));
    assertTrue(refused("hello").startsWith("xray: expected 'accepted' or 'rejected'"));
    assertTrue(refused("").startsWith("xray: "));
  }

  @Test
  void looksLike() {
    assertTrue(parser.looksLike("2025/11/17 10:15:23.123 from tcp:192.168.0.10 : 54321 accepted tcp:example.com : 443"));
    assertTrue(parser.looksLike("2023/01/09 13:03:49 119.160.69.241:21930 rejected  proxy/vless/encoding: x"));
    assertTrue(parser.looksLike("from [2001:db8::1]:443 accepted udp:8.8.8.8:53"));
    assertFalse(parser.looksLike("2025/11/17 10:15:23 [Info] app/dispatcher: taking detour [proxy12]"));
    assertFalse(parser.looksLike("the user accepted the terms"));
    assertFalse(parser.looksLike("time=2023-01-01T10:00:00Z level=INFO msg=hello"));
    assertFalse(parser.looksLike(""));
  }

  @Test
  void randomInputNeverThrows() {
    BodyParserChecks.survivesGarbage(parser, List.of(
        "2025/11/17 10:15:23.123 from tcp:192.168.0.10 : 54321 accepted tcp:example.com : 443 [inbound >> direct] email:user@example.com",
        "2025/11/17 10:15:23.123456 from [2001:db8::1]:443 accepted udp:[2001:4860:4860::8888]:53 [dns-in -> dns-out]",
        "2025/08/24 18:40:35.667467 from 203.0.113.50:57676 rejected  proxy/vless/encoding: invalid request user id"),
        50_000);
  }
}
