package io.logd.parse.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.LogEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBatchReaderTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  final JsonBatchReader reader = new JsonBatchReader();

  JsonBatchReader.Batch read(String body, JsonBatchReader.Shape shape) {
    return reader.read(body.getBytes(StandardCharsets.UTF_8), shape, NOW);
  }

  static List<String> messages(JsonBatchReader.Batch b) {
    return b.events().stream().map(LogEvent::message).toList();
  }

  static List<Integer> rejectedIndexes(JsonBatchReader.Batch b) {
    return b.rejected().stream().map(JsonBatchReader.Rejection::index).toList();
  }

  @Test
  void ndjsonKeepsGoodLinesAndNumbersBadOnesByLine() {
    JsonBatchReader.Batch b = read("{\"message\":\"a\"}\r\n\n{oops}\n{\"message\":\"b\"}\n[1]\n{\"message\":\"c\"}",
        JsonBatchReader.Shape.ARRAY_OR_NDJSON);
    assertNull(b.fatal());
    assertEquals(List.of("a", "b", "c"), messages(b));
    assertEquals(List.of(2, 4), rejectedIndexes(b), "blank lines count as lines");
  }

  @Test
  void ndjsonLinesWithBytesThatAreNotUtf8AreKeptWithReplacementCharacters() {
    byte[] bad = "{\"message\":\"caf\u00ff!\",\"host\":\"h\"}".getBytes(StandardCharsets.ISO_8859_1); // 0xFF alone
    byte[] good = "{\"message\":\"ok\",\"user\":\"Zo\u00eb\"}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[bad.length + 1 + good.length];
    System.arraycopy(bad, 0, body, 0, bad.length);
    body[bad.length] = '\n';
    System.arraycopy(good, 0, body, bad.length + 1, good.length);
    JsonBatchReader.Batch b = reader.read(body, JsonBatchReader.Shape.ARRAY_OR_NDJSON, NOW);
    assertEquals(List.of("caf\uFFFD!", "ok"), messages(b), b.rejected().toString());
    assertEquals("h", b.events().get(0).host());
    assertEquals(io.logd.event.FieldValue.of("Zo\u00eb"), b.events().get(1).fields().get("user"));
  }

  @Test
  void arraysReportNonObjectsAndBadEventsByElement() {
    JsonBatchReader.Batch b = read("[{\"message\":\"a\"}, \"text\", null, {\"message\":\"b\",\"time\":\"never\"}, {\"message\":\"c\"}]",
        JsonBatchReader.Shape.JSON);
    assertEquals(List.of("a", "c"), messages(b));
    assertEquals(List.of(1, 2, 3), rejectedIndexes(b));
    assertEquals("expected a JSON object, got a string", b.rejected().get(0).reason());
  }

  @Test
  void aSyntaxErrorInsideAnArrayKeepsWhatCameBefore() {
    JsonBatchReader.Batch b = read("[{\"message\":\"a\"},{\"message\":\"b\"},{\"message\": }, {\"message\":\"d\"}]",
        JsonBatchReader.Shape.JSON);
    assertEquals(List.of("a", "b"), messages(b));
    assertEquals(List.of(2), rejectedIndexes(b));
    assertTrue(b.rejected().get(0).reason().contains("the rest of the array was not read"), b.rejected().toString());
    JsonBatchReader.Batch truncated = read("[{\"message\":\"a\"}", JsonBatchReader.Shape.JSON);
    assertEquals(List.of("a"), messages(truncated));
    assertEquals(List.of(1), rejectedIndexes(truncated));
  }

  @Test
  void bodiesThatAreNotJsonAreFatal() {
    assertEquals("the body is empty", read("  \n", JsonBatchReader.Shape.JSON).fatal());
    assertTrue(read("hello", JsonBatchReader.Shape.JSON).fatal().startsWith("line 1"));
    assertTrue(read("[oops", JsonBatchReader.Shape.JSON).fatal().startsWith("line 1"));
    assertTrue(read("42", JsonBatchReader.Shape.JSON).fatal().startsWith("expected a JSON object or array"));
    assertTrue(read("{\"a\":1} {\"b\":2}", JsonBatchReader.Shape.JSON).fatal().contains("as an array"));
  }

  @Test
  void aSingleObjectWithABadTimeIsARejectionNotAFatalError() {
    JsonBatchReader.Batch b = read("{\"message\":\"m\",\"timestamp\":\"later\"}", JsonBatchReader.Shape.JSON);
    assertNull(b.fatal());
    assertEquals(List.of(0), rejectedIndexes(b));
  }

  @Test
  void byteOrderMarkIsNotContent() {
    assertEquals(List.of("x"), messages(read("\ufeff{\"message\":\"x\"}", JsonBatchReader.Shape.ARRAY_OR_NDJSON)));
  }

  /** Line shapes for the randomized comparison: good, bad, and every way a line can be more or less than one object. */
  private static final String[] LINES = {
    "{\"message\":\"GET /api/v1/users/%d 200\",\"host\":\"web-%d\",\"status\":200,\"took\":0.%d}",
    "{\"msg\":\"nested %d\",\"http\":{\"method\":\"GET\",\"path\":\"/p/%d\"},\"tags\":[\"a\",\"b%d\"]}",
    "{oops %d %d %d}",
    "{\"message\":\"one %d\"} {\"message\":\"two %d %d\"}",
    "{\"message\":\"split %d\",\n\"host\":\"h%d %d\"}",
    "",
    "   \t",
    "\uFEFF{\"message\":\"after a byte order mark %d %d %d\"}",
    "[%d, %d, %d]",
    "%d%d%d",
    "\"text %d %d %d\"",
    "null",
    "{\"message\":\"bad time %d\",\"time\":\"never %d %d\"}",
    "{\"message\":\"garbage after %d\"} x%d%d",
    "{\"message\":\"spaces after %d %d %d\"}  \t ",
    "{\"message\":\"unterminated %d %d %d",
    "{\"message\":\"crlf %d %d %d\"}\r",
    "{\"message\":\"cr inside %d\"}\r{\"message\":\"%d %d\"}",
    "{\"a\":{\"b\":{\"c\":{\"d\":[%d,{\"e\":%d}]}}},\"message\":\"deep %d\"}",
    "  {\"message\":\"indented %d %d %d\"}",
    "{\"message\":\"not utf-8 \u00ff %d %d %d\"}",
  };

  @Test
  void ndjsonReadWithOneParserAnswersExactlyAsAParserPerLine() {
    long seed = new java.util.Random().nextLong();
    System.out.println("ndjsonReadWithOneParserAnswersExactlyAsAParserPerLine seed=" + seed);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    for (int round = 0; round < 300; round++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.writeBytes(LINES[0].formatted(round, 1, 2).getBytes(StandardCharsets.UTF_8)); // not an array
      int lines = rnd.nextInt(1, 40);
      for (int i = 0; i < lines; i++) {
        out.write('\n');
        int kind = rnd.nextInt(4) == 0 ? rnd.nextInt(LINES.length) : rnd.nextInt(2);
        String line = LINES[kind].formatted(rnd.nextInt(1000), rnd.nextInt(1000), rnd.nextInt(1000));
        // the last shape holds a byte that is not UTF-8
        out.writeBytes(line.getBytes(kind == LINES.length - 1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
      }
      if (rnd.nextBoolean()) {
        out.write('\n');
      }
      byte[] body = out.toByteArray();
      JsonBatchReader.Batch expected = reader.readLinesOneByOne(body, NOW);
      JsonBatchReader.Batch actual = reader.read(body, JsonBatchReader.Shape.ARRAY_OR_NDJSON, NOW);
      String context = "seed " + seed + ", round " + round + ":\n" + new String(body, StandardCharsets.UTF_8);
      assertEquals(expected.rejected(), actual.rejected(), context);
      assertEquals(expected.events(), actual.events(), context);
      assertNull(actual.fatal(), context);
    }
  }
}
