package io.logd.parse.json;

import static io.logd.testing.BodyParserChecks.HEADER_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.Facility;
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

class JsonBodyParserTest {
  final JsonBodyParser parser = new JsonBodyParser();

  LogEvent ok(String body) {
    return BodyParserChecks.parsed(parser, body);
  }

  String refused(String body) {
    return BodyParserChecks.refused(parser, body);
  }

  @Test
  void bareObjectFromZap() {
    LogEvent e = ok("{\"level\":\"info\",\"ts\":1700000000.123,\"caller\":\"server/main.go:42\","
        + "\"msg\":\"server started\",\"port\":8080,\"tls\":false}");
    assertEquals(Instant.parse("2023-11-14T22:13:20.123Z"), e.timestamp());
    assertEquals(Severity.INFO, e.level());
    assertEquals("server started", e.message());
    assertEquals(Map.of("pid", FieldValue.of(42), "caller", FieldValue.of("server/main.go:42"),
        "port", FieldValue.of(8080), "tls", FieldValue.of(false)), e.fields());
    assertEquals("web-1", e.host(), "the header's host stays");
    assertEquals("app", e.service(), "the header's service stays");
    assertEquals(Facility.LOCAL7, e.facility());
    assertEquals(List.of("syslog"), e.tags());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "@cee: {\"msg\":\"user login\",\"level\":\"warning\",\"user\":{\"name\":\"bob\",\"id\":7}}",
    "@cee:{\"msg\":\"user login\",\"level\":\"warning\",\"user\":{\"name\":\"bob\",\"id\":7}}",
    "@cee:   {\"msg\":\"user login\",\"level\":\"warning\",\"user\":{\"name\":\"bob\",\"id\":7}}\n",
    " {\"msg\":\"user login\",\"level\":\"warning\",\"user\":{\"name\":\"bob\",\"id\":7}} ",
  })
  void ceeCookieWithOrWithoutSpaces(String body) {
    LogEvent e = ok(body);
    assertEquals("user login", e.message());
    assertEquals(Severity.WARN, e.level());
    assertEquals(FieldValue.of("bob"), e.fields().get("user.name"));
    assertEquals(FieldValue.of(7), e.fields().get("user.id"));
    assertEquals(HEADER_TIME, e.timestampNanos(), "no time in the body: the header's stays");
  }

  @Test
  void rsyslogStyleCeeWithServiceHostAndTags() {
    LogEvent e = ok("@cee: {\"time\":\"2026-11-23T09:59:58.5Z\",\"hostname\":\"db-2\",\"program\":\"pgbouncer\","
        + "\"severity\":\"err\",\"facility\":\"daemon\",\"log\":\"closing because: client close request\","
        + "\"tags\":[\"db\",\"pool\"],\"conn\":{\"id\":\"C-0x5581\",\"db\":\"orders\"}}");
    assertEquals(Instant.parse("2026-11-23T09:59:58.5Z"), e.timestamp());
    assertEquals("db-2", e.host());
    assertEquals("pgbouncer", e.service());
    assertEquals(Severity.ERROR, e.level());
    assertEquals(Facility.DAEMON, e.facility());
    assertEquals("closing because: client close request", e.message());
    assertEquals(List.of("syslog", "db", "pool"), e.tags(), "tags add to the header's");
    assertEquals(FieldValue.of("orders"), e.fields().get("conn.db"));
  }

  @Test
  void logrusAndSlogJson() {
    LogEvent e = ok("{\"animal\":\"walrus\",\"level\":\"fatal\",\"msg\":\"The ice breaks!\",\"number\":100,"
        + "\"omg\":true,\"time\":\"2014-03-10T19:57:38-04:00\"}");
    assertEquals(Instant.parse("2014-03-10T23:57:38Z"), e.timestamp());
    assertEquals(Severity.CRIT, e.level());
    assertEquals(FieldValue.of(true), e.fields().get("omg"));
    e = ok("{\"time\":\"2023-01-01T10:00:00.000Z\",\"level\":\"INFO\",\"msg\":\"hello world\",\"count\":3,"
        + "\"req\":{\"method\":\"GET\",\"ratio\":0.5}}");
    assertEquals(Instant.parse("2023-01-01T10:00:00Z"), e.timestamp());
    assertEquals(FieldValue.of(3), e.fields().get("count"));
    assertEquals(FieldValue.of(0.5), e.fields().get("req.ratio"));
  }

  @Test
  void withoutAMessageAliasTheMessageStays() {
    String body = "{\"event\":\"cache_miss\",\"key\":\"user:42\",\"level\":\"debug\"}";
    LogEvent e = ok(body);
    assertEquals(body, e.message());
    assertEquals(Severity.DEBUG, e.level());
  }

  @Test
  void unknownLevelKeepsTheHeadersLevel() {
    LogEvent e = ok("{\"msg\":\"m\",\"level\":\"loud\"}");
    assertEquals(Severity.NOTICE, e.level());
    assertEquals(FieldValue.of("loud"), e.fields().get("level_raw"));
  }

  @Test
  void refusalsChangeNothing() {
    assertEquals("json: timestamp: cannot parse 'yesterday'", refused("{\"time\":\"yesterday\",\"msg\":\"m\",\"a\":1}"));
    assertEquals("json: unexpected content after the JSON object", refused("{\"msg\":\"m\"} trailing"));
    assertTrue(refused("{\"msg\": \"m\", \"a\": }").startsWith("json: line 1, column "));
    assertTrue(refused("@cee: {\"msg\":").startsWith("json: line 1"));
    assertEquals("json: expected '{' at column 7", refused("@cee: not json"));
    assertEquals("json: expected a JSON object or '@cee:' at column 1", refused("[1,2]"));
    assertEquals("json: expected a JSON object or '@cee:' at column 1", refused("hello {\"a\":1}"));
    assertEquals("json: expected a JSON object or '@cee:' at column 1", refused(""));
  }

  @Test
  void looksLike() {
    assertTrue(parser.looksLike("{\"a\":1}"));
    assertTrue(parser.looksLike("@cee: {\"a\":1}"));
    assertTrue(parser.looksLike("  @cee:{\"a\":1}\n"));
    assertFalse(parser.looksLike("{\"a\":1"));
    assertFalse(parser.looksLike("@cee: hello"));
    assertFalse(parser.looksLike("a=1 b=2"));
    assertFalse(parser.looksLike(""));
  }

  @Test
  void randomInputNeverThrows() {
    BodyParserChecks.survivesGarbage(parser, List.of(
        "@cee: {\"time\":\"2026-11-23T09:59:58.5Z\",\"hostname\":\"db-2\",\"severity\":\"err\",\"tags\":[\"a\"],"
            + "\"x\":{\"y\":[1,2,{\"z\":null}]},\"log\":\"m\"}",
        "{\"level\":\"info\",\"ts\":1700000000.123,\"msg\":\"server started\",\"port\":8080}"),
        20_000);
  }
}
