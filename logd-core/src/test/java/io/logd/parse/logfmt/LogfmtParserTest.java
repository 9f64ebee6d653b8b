package io.logd.parse.logfmt;

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

class LogfmtParserTest {
  final LogfmtParser parser = new LogfmtParser();

  LogEvent ok(String body) {
    return BodyParserChecks.parsed(parser, body);
  }

  String refused(String body) {
    return BodyParserChecks.refused(parser, body);
  }

  static FieldValue s(String v) {
    return FieldValue.of(v);
  }

  @Test
  void slogTextHandler() {
    LogEvent e = ok("time=2023-01-01T10:00:00.000Z level=INFO msg=\"hello world\" count=3");
    assertEquals(Instant.parse("2023-01-01T10:00:00Z"), e.timestamp());
    assertEquals(Severity.INFO, e.level());
    assertEquals("hello world", e.message());
    assertEquals(Map.of("pid", FieldValue.of(42), "count", FieldValue.of(3)), e.fields());
    assertEquals("web-1", e.host());
  }

  @Test
  void slogWithSourceGroupsAndTypes() {
    LogEvent e = ok("time=2023-06-01T12:00:00.123+02:00 level=WARN source=/app/main.go:42 msg=\"disk almost full\" "
        + "req.method=GET req.path=/api/v1 latency=1.5ms ratio=0.93 ok=true retry=false delta=-7 big=12345678901234567890 "
        + "exp=1e-3 hexish=0x10 dash=- empty= quoted=\"42\"");
    assertEquals(Instant.parse("2023-06-01T10:00:00.123Z"), e.timestamp());
    assertEquals(Severity.WARN, e.level());
    assertEquals("disk almost full", e.message());
    Map<String, FieldValue> f = e.fields();
    assertEquals(s("/app/main.go:42"), f.get("source"));
    assertEquals(s("GET"), f.get("req.method"));
    assertEquals(s("1.5ms"), f.get("latency"));
    assertEquals(FieldValue.of(0.93), f.get("ratio"));
    assertEquals(FieldValue.of(true), f.get("ok"));
    assertEquals(FieldValue.of(false), f.get("retry"));
    assertEquals(FieldValue.of(-7), f.get("delta"));
    assertEquals(s("12345678901234567890"), f.get("big"), "beyond 18 digits the text is kept");
    assertEquals(FieldValue.of(0.001), f.get("exp"));
    assertEquals(s("0x10"), f.get("hexish"));
    assertEquals(s("-"), f.get("dash"));
    assertEquals(s(""), f.get("empty"));
    assertEquals(s("42"), f.get("quoted"), "a quoted value stays text");
  }

  @Test
  void logrusTextFormatter() {
    LogEvent e = ok("time=\"2015-03-26T01:27:38-04:00\" level=debug msg=\"Started observing beach\" animal=walrus number=8");
    assertEquals(Instant.parse("2015-03-26T05:27:38Z"), e.timestamp());
    assertEquals(Severity.DEBUG, e.level());
    assertEquals("Started observing beach", e.message());
    assertEquals(s("walrus"), e.fields().get("animal"));
    assertEquals(FieldValue.of(8), e.fields().get("number"));
    e = ok("time=\"2015-03-26T01:27:38-04:00\" level=warning msg=\"The group's number increased tremendously!\" "
        + "number=122 omg=true");
    assertEquals(Severity.WARN, e.level());
  }

  @Test
  void herokuRouter() {
    LogEvent e = ok("at=info method=GET path=\"/\" host=myapp.herokuapp.com request_id=c24a0b35-6ed1-4a29-bd49-66bce43cc7be "
        + "fwd=\"204.204.204.204\" dyno=web.1 connect=0ms service=18ms status=200 bytes=13 protocol=https");
    assertEquals(Severity.INFO, e.level(), "Heroku's at= is the level");
    assertNull(e.fields().get("at"));
    assertEquals(s("myapp.herokuapp.com"), e.fields().get("host"), "host is a field, not the event's host");
    assertEquals("web-1", e.host());
    assertEquals(s("18ms"), e.fields().get("service"));
    assertEquals("app", e.service());
    assertEquals(FieldValue.of(200), e.fields().get("status"));
    assertEquals(s("204.204.204.204"), e.fields().get("fwd"));
    assertEquals(HEADER_TIME, e.timestampNanos());

    e = ok("at=error code=H12 desc=\"Request timeout\" method=GET path=\"/\" host=myapp.herokuapp.com "
        + "request_id=8601b555-6a54-4b0b-9aa6-6d7dc8b3d3dc fwd=\"204.204.204.204\" dyno=web.1 connect=1ms "
        + "service=30000ms status=503 bytes=0 protocol=https");
    assertEquals(Severity.ERROR, e.level());
    assertEquals(s("Request timeout"), e.fields().get("desc"));

    e = ok("at=router level=info msg=x");
    assertEquals(s("router"), e.fields().get("at"), "an at= that names no level is a field");
    assertEquals(Severity.INFO, e.level());
  }

  @Test
  void goKitAndLoki() {
    LogEvent e = ok("level=info ts=2023-06-01T12:00:00.123456789Z caller=main.go:10 msg=listening transport=HTTP addr=:8080");
    assertEquals(Instant.parse("2023-06-01T12:00:00.123456789Z"), e.timestamp());
    assertEquals("listening", e.message());
    assertEquals(s(":8080"), e.fields().get("addr"));
    e = ok("ts=2023-06-01T12:00:00.123Z caller=server.go:300 level=info msg=\"server listening on addresses\" "
        + "http=[::]:3100 grpc=[::]:9095");
    assertEquals(s("[::]:3100"), e.fields().get("http"));
  }

  @Test
  void escapesInQuotedValues() {
    LogEvent e = ok("msg=\"say \\\"hi\\\"\\n\\tdone\" path=\"C:\\\\temp\" uni=\"caf\\u00e9 \\U0001F600\" bad=\"\\q\" "
        + "bytes=\"\\xff\"");
    assertEquals("say \"hi\"\n\tdone", e.message());
    assertEquals(s("C:\\temp"), e.fields().get("path"));
    assertEquals(s("caf\u00e9 \uD83D\uDE00"), e.fields().get("uni"));
    assertEquals(s("\\q"), e.fields().get("bad"), "an unknown escape keeps its backslash");
    assertEquals(s("\u00ff"), e.fields().get("bytes"));
  }

  @Test
  void bareKeysAndRepeatedRoles() {
    LogEvent e = ok("msg=first debug msg=second level=error lvl=info time=2023-01-01T00:00:00Z ts=1");
    assertEquals("first", e.message());
    assertEquals(s("second"), e.fields().get("msg"));
    assertEquals(FieldValue.of(true), e.fields().get("debug"));
    assertEquals(Severity.ERROR, e.level());
    assertEquals(s("info"), e.fields().get("lvl"));
    assertEquals(FieldValue.of(1), e.fields().get("ts"));
    assertEquals(Instant.parse("2023-01-01T00:00:00Z"), e.timestamp());
  }

  @Test
  void unreadableLevelAndTimeAreKeptNotRefused() {
    LogEvent e = ok("time=\"2023-01-01 10:00:00.123 +0000 UTC\" level=loud msg=x");
    assertEquals(HEADER_TIME, e.timestampNanos());
    assertEquals(Severity.NOTICE, e.level(), "the header's level stays");
    assertEquals(s("loud"), e.fields().get("level_raw"));
    assertEquals(s("2023-01-01 10:00:00.123 +0000 UTC"), e.fields().get("time_raw"));
    assertEquals("x", e.message());
  }

  @Test
  void withoutMsgTheMessageStays() {
    String body = "method=GET status=200";
    assertEquals(body, ok(body).message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello world", "just-one-word", "Connection closed by peer"})
  void bodiesWithoutPairsAreRefused(String body) {
    assertEquals("logfmt: no key=value pair", refused(body));
  }

  @Test
  void malformedBodiesAreRefusedAndChangeNothing() {
    assertEquals("logfmt: expected a key at column 1", refused("=x a=b"));
    assertEquals("logfmt: expected a key at column 1", refused("\"quoted\" a=b"));
    assertEquals("logfmt: expected a key at column 1", refused("1.2.3.4 a=b"));
    assertEquals("logfmt: expected a key at column 3", refused("  [INFO] a=b"));
    assertEquals("logfmt: unterminated quoted value at column 5", refused("msg=\"unterminated level=info"));
    assertEquals("logfmt: expected a space after the quoted value at column 8", refused("msg=\"x\"y level=info"));
    assertEquals("logfmt: unexpected '\"' at column 9", refused("a=1 word\"x\""));
    assertEquals("logfmt: expected a key at column 5", refused("a=1 \"x\""));
    assertEquals("logfmt: empty body", refused("   "));
  }

  @Test
  void looksLike() {
    assertTrue(parser.looksLike("time=2023-01-01T10:00:00.000Z level=INFO msg=\"hello world\" count=3"));
    assertTrue(parser.looksLike("at=info method=GET path=\"/\" status=200"));
    assertTrue(parser.looksLike("a=1"));
    assertTrue(parser.looksLike("a=1 b=2 flag"));
    assertFalse(parser.looksLike("msg=hello world"), "one pair and a bare word");
    assertFalse(parser.looksLike("hello a=1 b=2"), "must start with a pair");
    assertFalse(parser.looksLike("{\"a\":1}"));
    assertFalse(parser.looksLike("a=\"unterminated b=2"));
    assertFalse(parser.looksLike("10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /?a=b HTTP/1.1\" 200 1"));
    assertFalse(parser.looksLike(""));
  }

  @Test
  void randomInputNeverThrows() {
    BodyParserChecks.survivesGarbage(parser, List.of(
        "time=2023-01-01T10:00:00.000Z level=INFO msg=\"hello \\\"world\\\"\" count=3 ratio=-1.5e3 flag",
        "at=error code=H12 desc=\"Request timeout\" method=GET path=\"/\" status=503 bytes=0",
        "ts=1700000000.5 lvl=7 message=\"caf\\u00e9 \\xff \\U0001F600\" at=warn"),
        50_000);
  }
}
