package io.logd.parse.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.Facility;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.parse.ParseResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonEventParserTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  final JsonEventParser parser = new JsonEventParser();

  LogEvent ok(String json) {
    return assertInstanceOf(ParseResult.Parsed.class, parser.parse(json, NOW), json).event();
  }

  String rejected(String json) {
    return assertInstanceOf(ParseResult.Rejected.class, parser.parse(json, NOW), json).reason();
  }

  @Test
  void theContractsExampleEvent() {
    LogEvent e = ok("""
        {"timestamp":"2026-11-23T10:00:00.123456Z","host":"web-1","service":"nginx","level":"info",
         "facility":"local7","message":"GET /index.html 200",
         "status":200,"bytes":512,"client_ip":"10.1.2.3","tags":["edge"]}""");
    assertEquals(Instant.parse("2026-11-23T10:00:00.123456Z"), e.timestamp());
    assertEquals(NOW, e.received());
    assertEquals("web-1", e.host());
    assertEquals("nginx", e.service());
    assertEquals(Severity.INFO, e.level());
    assertEquals(Facility.LOCAL7, e.facility());
    assertEquals("GET /index.html 200", e.message());
    assertEquals(Map.of("status", FieldValue.of(200), "bytes", FieldValue.of(512), "client_ip", FieldValue.of("10.1.2.3")),
        e.fields());
    assertEquals(List.of("edge"), e.tags());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"@timestamp\":\"2026-11-23T09:00:00Z\",\"msg\":\"a\",\"severity\":\"warning\",\"app\":\"api\",\"hostname\":\"h\"}|a|warn|api|h",
    "{\"time\":1795424400,\"_msg\":\"b\",\"lvl\":3,\"app_name\":\"api\",\"source_host\":\"h\"}|b|error|api|h",
    "{\"ts\":1795424400000,\"log\":\"c\",\"level\":\"FATAL\",\"program\":\"sshd\",\"host\":\"h\"}|c|crit|sshd|h",
    "{\"_time\":\"-1h\",\"message\":\"d\",\"level\":\"err\",\"service\":\"db\",\"host\":\"h\"}|d|error|db|h",
  })
  void aliasesFillTheWellKnownParts(String json, String message, String level, String service, String host) {
    LogEvent e = ok(json);
    assertEquals(message, e.message());
    assertEquals(level, e.level().canonicalName());
    assertEquals(service, e.service());
    assertEquals(host, e.host());
    assertEquals(Instant.parse("2026-11-23T09:00:00Z"), e.timestamp(), "every time form lands on 09:00Z");
    assertTrue(e.fields().isEmpty(), e.fields().toString());
  }

  @Test
  void missingTimeIsTheReceiveTime() {
    LogEvent e = ok("{\"message\":\"no time\"}");
    assertEquals(NOW, e.timestamp());
  }

  @Test
  void nestedObjectsFlattenWithDotsAndArraysOfScalarsStayMultiValued() {
    LogEvent e = ok("""
        {"message":"m","http":{"status":503,"request":{"method":"GET","path":"/x"}},
         "ports":[80,443],"one":[7],"mixed":[1,{"a":2}],"empty":[],"nothing":null,
         "ratio":0.25,"ok":true,"big":123456789012345678901234567890}""");
    assertEquals(FieldValue.of(503), e.fields().get("http.status"));
    assertEquals(FieldValue.of("GET"), e.fields().get("http.request.method"));
    assertEquals(FieldValue.of("/x"), e.fields().get("http.request.path"));
    assertEquals(new FieldValue.ListValue(List.of(FieldValue.of(80), FieldValue.of(443))), e.fields().get("ports"));
    assertEquals(FieldValue.of(7), e.fields().get("one"));
    assertEquals(FieldValue.of("[1,{\"a\":2}]"), e.fields().get("mixed"));
    assertEquals(FieldValue.of(0.25), e.fields().get("ratio"));
    assertEquals(FieldValue.of(true), e.fields().get("ok"));
    assertEquals(FieldValue.of("123456789012345678901234567890"), e.fields().get("big"));
    assertTrue(!e.fields().containsKey("empty") && !e.fields().containsKey("nothing"));
  }

  @Test
  void aSecondAliasIsKeptAsAFieldNotLost() {
    LogEvent e = ok("{\"message\":\"first\",\"msg\":\"second\",\"host\":\"a\",\"hostname\":\"b\"}");
    assertEquals("first", e.message());
    assertEquals(FieldValue.of("second"), e.fields().get("msg"));
    assertEquals("a", e.host());
    assertEquals(FieldValue.of("b"), e.fields().get("hostname"));
  }

  @Test
  void unknownLevelAndFacilityKeepTheSendersText() {
    LogEvent e = ok("{\"message\":\"m\",\"level\":\"loud\",\"facility\":\"galaxy\"}");
    assertNull(e.level());
    assertNull(e.facility());
    assertEquals(FieldValue.of("loud"), e.fields().get("level_raw"));
    assertEquals(FieldValue.of("galaxy"), e.fields().get("facility_raw"));
    assertEquals(Facility.LOCAL0, ok("{\"facility\":16}").facility());
  }

  @Test
  void badTimeRejectsWithTheContractsReason() {
    assertEquals("timestamp: cannot parse 'yesterday'", rejected("{\"timestamp\":\"yesterday\",\"message\":\"m\"}"));
  }

  @Test
  void malformedJsonSaysWhereAndWhy() {
    String reason = rejected("{\"message\": \"m\",\n \"status\": }");
    assertTrue(reason.startsWith("line 2, column "), reason);
    assertEquals("expected a JSON object", rejected("[1,2]"));
    assertEquals("unexpected content after the JSON object", rejected("{\"a\":1} {\"b\":2}"));
    assertTrue(rejected("{\"a\":").startsWith("line 1"));
  }

  @Test
  void objectMessagesAndTagStringsAreKept() {
    LogEvent e = ok("{\"message\":{\"text\":\"hi\"},\"tags\":\"solo\"}");
    assertEquals("{\"text\":\"hi\"}", e.message());
    assertEquals(List.of("solo"), e.tags());
  }

  @Test
  void veryDeepNestingIsKeptAsText() {
    String deep = "{\"a\":".repeat(20) + "1" + "}".repeat(20);
    LogEvent e = ok(deep);
    String key = String.join(".", java.util.Collections.nCopies(JsonEventParser.MAX_DEPTH, "a"));
    assertTrue(e.fields().get(key) instanceof FieldValue.StringValue s && s.value().startsWith("{\"a\":"), e.fields().toString());
  }
}
