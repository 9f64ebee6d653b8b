package io.logd.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.EventId;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.index.DocumentMapper;
import io.logd.index.FieldSchema;
import io.logd.index.LogAnalyzer;
import java.util.SplittableRandom;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogQueryParserTest {
  private static final LogQueryParser PARSER = new LogQueryParser();

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
      (service:api AND level:error => 28 => expected ')'
      service:api AND (level:error OR => 31 => expected ')'
      x:(a b => 6 => expected ')'
      service:api) => 11 => unmatched ')'
      "connection refused => 0 => unterminated quote
      a:"b => 2 => unterminated quote
      status:[500 TO => 14 => expected ']' or '}'
      status:[500 TO 599 => 18 => expected ']' or '}'
      status:[500 599] => 12 => expected 'TO' but found '599'
      service:api AND => 15 => expected a term after 'AND'
      foo OR => 6 => expected a term after 'OR'
      service: => 8 => expected a value after ':'
      AND foo => 0 => unexpected 'AND'
      foo AND OR bar => 8 => expected a term after 'AND' but found 'OR'
      foo && || bar => 7 => expected a term after '&&' but found '||'
      () => 1 => empty parentheses
      - => 1 => expected a term after '-'
      foo\\ => 3 => nothing to escape after '\\'
      path:/a/b OR OR x => 13 => expected a term after 'OR' but found 'OR'
      client_ip:10.0.0.0/8 AND => 24 => expected a term after 'AND'
      status:>=500 AND (x => 19 => expected ')'
      """)
  void errorsCarryTheirPosition(String q, int position, String reason) {
    QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> PARSER.parse(q, FieldSchema.empty()));
    assertEquals(reason, e.reason(), q);
    assertEquals(position, e.position(), q);
    assertEquals(reason + " at position " + position, e.getMessage());
  }

  @Test
  void blankOrStarMatchesAll() throws Exception {
    FieldSchema s = FieldSchema.empty();
    assertSame(MatchAllDocsQuery.INSTANCE, PARSER.parse(null, s));
    assertSame(MatchAllDocsQuery.INSTANCE, PARSER.parse("  \t", s));
    assertSame(MatchAllDocsQuery.INSTANCE, PARSER.parse(" * ", s));
  }

  @Test
  void unknownFieldsMatchNothingWithoutError() throws Exception {
    assertInstanceOf(MatchNoDocsQuery.class, PARSER.parse("status:500", FieldSchema.empty()));
    assertInstanceOf(MatchNoDocsQuery.class, PARSER.parse("status:[500 TO 599]", FieldSchema.empty()));
    assertInstanceOf(MatchNoDocsQuery.class, PARSER.parse("client_ip:10.0.0.0/8", FieldSchema.empty()));
  }

  @Test
  void defaultOperatorIsAndUnlessAskedOtherwise() throws Exception {
    BooleanQuery and = assertInstanceOf(BooleanQuery.class, PARSER.parse("a b", FieldSchema.empty()));
    assertTrue(and.clauses().stream().allMatch(c -> c.occur() == BooleanClause.Occur.MUST));
    BooleanQuery or = assertInstanceOf(BooleanQuery.class, new LogQueryParser(false).parse("a b", FieldSchema.empty()));
    assertTrue(or.clauses().stream().allMatch(c -> c.occur() == BooleanClause.Occur.SHOULD));
  }

  @Test
  void refusesQueriesTooBigToRun() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < IndexSearcher.getMaxClauseCount() + 10; i++) {
      many.append("t").append(i).append(" OR ");
    }
    many.append("last");
    QuerySyntaxException e = assertThrows(QuerySyntaxException.class, () -> PARSER.parse(many.toString(), FieldSchema.empty()));
    assertTrue(e.reason().startsWith("query has more than"), e.getMessage());

    String deep = "(".repeat(LogQueryParser.MAX_DEPTH + 1) + "x" + ")".repeat(LogQueryParser.MAX_DEPTH + 1);
    e = assertThrows(QuerySyntaxException.class, () -> PARSER.parse(deep, FieldSchema.empty()));
    assertEquals(LogQueryParser.MAX_DEPTH, e.position());

    String longQuery = "x".repeat(LogQueryParser.MAX_QUERY_CHARS + 1);
    assertThrows(QuerySyntaxException.class, () -> PARSER.parse(longQuery, FieldSchema.empty()));

    String longPhrase = "\"" + "a ".repeat(2000) + "\"";
    assertThrows(QuerySyntaxException.class, () -> PARSER.parse(longPhrase, FieldSchema.empty()));
  }

  @Test
  void preparedTextMapsPositionsBack() throws Exception {
    LogQueryParser.Prepared p = LogQueryParser.Prepared.of("path:/a/b client_ip:2001:db8::1 10:15 x:>=5");
    assertEquals("path:\\/a\\/b client_ip:2001\\:db8\\:\\:1 10\\:15 x:[5 TO *]", p.text);
    assertEquals(5, p.original(p.text.indexOf("\\/a")));
    assertEquals(p.original.length(), p.original(p.text.length()));
    assertEquals(LogQueryParser.Prepared.of("https://x.y/z").text, "https\\:\\/\\/x.y\\/z");
    assertEquals(LogQueryParser.Prepared.of("fe80::1/64").text, "fe80\\:\\:1\\/64");
    assertEquals(LogQueryParser.Prepared.of("-level:debug \"a:b/c\" [a:b TO c/d]").text, "-level:debug \"a:b/c\" [a:b TO c/d]");
  }

  /**
   * Random query text from syntax-heavy pieces: parsing either gives a query that runs against a
   * real index or a syntax error inside the text; nothing else ever escapes.
   */
  @Test
  void randomQueriesNeverCrashParsingOrSearching() throws Exception {
    long seed = System.nanoTime();
    System.out.println("LogQueryParserTest.randomQueriesNeverCrashParsingOrSearching seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    String[] pieces = {
      " ", " ", " ", "(", ")", "\"", "[", "]", "{", "}", ":", "/", "\\", "*", "?", "~", "^", "+", "-", "!", "AND", "OR", "NOT", "TO",
      "&&", "||", "foo", "status", "client_ip", "level", "ok", "latency", "host", "_time", "message", "10.0.0.0/8", "500", "2.5",
      "::1", "fe80::", "é", "\u3000", ">", ">=", "<", "\\u00", "2", "*:*", ".", "tags", "a*b?c", "10.1.*"
    };
    FieldSchema schema = FieldSchema.empty();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new LogAnalyzer()))) {
        DocumentMapper m = new DocumentMapper();
        w.addDocument(m.map(1, new EventId(1, 1), LogEvent.builder().timestampNanos(1).message("foo 10.0.0.1 bar").host("h")
            .level(Severity.INFO).field("status", 500).field("client_ip", "10.0.0.1").field("ok", true)
            .field("latency", 2.5).field("_time", "x").tag("t").build(), schema));
        w.addDocument(m.map(1, new EventId(2, 2), LogEvent.builder().timestampNanos(2).message("other")
            .field("status", "abc").field("client_ip", "nope").field("latency", "slow").field("ok", 3).build(), schema));
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(r);
        int parsed = 0;
        for (int round = 0; round < 5000; round++) {
          StringBuilder sb = new StringBuilder();
          int n = rnd.nextInt(1, 12);
          for (int i = 0; i < n; i++) {
            sb.append(pieces[rnd.nextInt(pieces.length)]);
          }
          String q = sb.toString();
          try {
            Query query = PARSER.parse(q, schema);
            searcher.search(query, 10);
            searcher.count(query);
            parsed++;
          } catch (QuerySyntaxException e) {
            assertTrue(e.position() >= 0 && e.position() <= q.length(), "seed=" + seed + " q=" + q + " " + e.getMessage());
          } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("seed=" + seed + " q=" + q, e);
          }
        }
        assertTrue(parsed > 500, "the generator should produce valid queries too: " + parsed);
      }
    }
  }
}
