package io.logd.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionLengthAttribute;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LogAnalyzerTest {
  private static final Analyzer ANALYZER = new LogAnalyzer();

  /** Tokens as {@code term@position}, with {@code +length} for any token longer than one position. */
  static String tokens(String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = ANALYZER.tokenStream("message", text)) {
      CharTermAttribute term = ts.getAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.getAttribute(PositionIncrementAttribute.class);
      PositionLengthAttribute len = ts.getAttribute(PositionLengthAttribute.class);
      ts.reset();
      int pos = -1;
      while (ts.incrementToken()) {
        pos += inc.getPositionIncrement();
        out.add(term + "@" + pos + (len.getPositionLength() > 1 ? "+" + len.getPositionLength() : ""));
      }
      ts.end();
    }
    return String.join(" ", out);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      Connection refused | connection@0 refused@1
      from 10.1.2.3 port 22 | from@0 10@1 1@2 2@3 3@4 port@5 22@6
      GET /api/v1/users/42 HTTP/1.1 | get@0 api@1 v1@2 users@3 42@4 http@5 1@6 1@7
      at com.example.FooService.handle(FooService.java:42) | at@0 com@1 example@2 fooservice@3 handle@4 fooservice@5 java@6 42@7
      web-1.eu.example.com | web@0 1@1 eu@2 example@3 com@4
      id=550e8400-e29b-41d4-a716-446655440000 | id@0 550e8400@1 e29b@2 41d4@3 a716@4 446655440000@5
      flags 0x1F3A set | flags@0 0x1f3a@1 1f3a@1 set@2
      user alice@example.com logged in | user@0 alice@1 example@2 com@3 logged@4 in@5
      GET https://example.com/a?b=1 | get@0 https@1 example@2 com@3 a@4 b@5 1@6
      client 2001:db8::1 connected | client@0 2001@1 db8@2 1@3 connected@4
      peer [::1]:8080 gone | peer@0 1@1 8080@2 gone@3
      `[12345.678901] eth0: link up, 1000Mbps, full duplex` | 12345@0 678901@1 eth0@2 link@3 up@4 1000mbps@5 full@6 duplex@7
      Failed password for invalid user admin from 203.0.113.9 port 52814 ssh2 | failed@0 password@1 for@2 invalid@3 user@4 admin@5 from@6 203@7 0@8 113@9 9@10 port@11 52814@12 ssh2@13
      `"refused." (errno=111)` | refused@0 errno@1 111@2
      Ошибка ПОДКЛЮЧЕНИЯ | ошибка@0 подключения@1
      KEY_NAME=Value;next | key@0 name@1 value@2 next@3
      at io.logd.Foo$Bar.run(Foo.java:10) | at@0 io@1 logd@2 foo@3 bar@4 run@5 foo@6 java@7 10@8
      --verbose -x ..hidden.. | verbose@0 x@1 hidden@2
      `   ` | ``
      """)
  void tokenTable(String text, String expected) throws IOException {
    assertEquals(expected == null ? "" : expected, tokens(text));
  }

  @Test
  void nginxCombinedLine() throws IOException {
    String line = "10.1.2.3 - - [23/Nov/2026:10:00:00 +0000] \"GET /api/v1/users/42?page=2 HTTP/1.1\" 200 512 "
        + "\"https://example.com/start\" \"Mozilla/5.0 (X11; Linux x86_64)\"";
    String t = tokens(line);
    assertTrue(t.startsWith("10@0 1@1 2@2 3@3 23@4 nov@5 2026@6 10@7 00@8 00@9 0000@10 get@11"), t);
    assertTrue(t.contains(" api@12 v1@13 users@14 42@15 page@16 2@17 http@18 1@19 1@20"), t);
    assertTrue(t.contains(" 200@21 512@22 https@23 example@24 "), t);
    assertTrue(t.endsWith("mozilla@27 5@28 0@29 x11@30 linux@31 x86@32 64@33"), t);
    assertFalse(t.contains("+"), "no whole-compound tokens: " + t);
  }

  @Test
  void javaStackTrace() throws IOException {
    String trace = "java.lang.IllegalStateException: pool exhausted\n"
        + "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)\n"
        + "\tat java.base/java.lang.Thread.run(Thread.java:1583)";
    String t = tokens(trace);
    assertTrue(t.startsWith("java@0 lang@1 illegalstateexception@2 pool@3 exhausted@4 at@5 "), t);
    assertTrue(t.contains(" hikaripool@12 java@13 181@14 "), t);
    assertTrue(t.endsWith(" at@15 java@16 base@17 java@18 lang@19 thread@20 run@21 thread@22 java@23 1583@24"), t);
  }

  @Test
  void offsetsPointIntoTheOriginalText() throws IOException {
    String text = "GET /api/v1 ok";
    List<String> seen = new ArrayList<>();
    try (TokenStream ts = ANALYZER.tokenStream("message", text)) {
      CharTermAttribute term = ts.getAttribute(CharTermAttribute.class);
      OffsetAttribute off = ts.getAttribute(OffsetAttribute.class);
      TypeAttribute type = ts.getAttribute(TypeAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        seen.add(term + "[" + off.startOffset() + "," + off.endOffset() + ")" + type.type());
      }
      ts.end();
      assertEquals(text.length(), off.endOffset());
    }
    assertEquals(List.of("get[0,3)<WORD>", "api[5,8)<PART>", "v1[9,11)<PART>", "ok[12,14)<WORD>"), seen);
  }

  @Test
  void capsTokenLength() throws IOException {
    String word = "a".repeat(600);
    assertEquals("a".repeat(255) + "@0 " + "a".repeat(255) + "@1 " + "a".repeat(90) + "@2 end@3", tokens(word + " end"));
    String longCompound = "x".repeat(200) + "." + "y".repeat(100);
    assertEquals("x".repeat(200) + "@0 " + "y".repeat(100) + "@1", tokens(longCompound));
  }

  @Test
  void phraseTermsAreThePartsInOrder() {
    assertEquals(List.of("from", "10", "1", "2", "3", "port"), LogAnalyzer.phraseTerms("from 10.1.2.3 port"));
    assertEquals(List.of("api", "v1", "users"), LogAnalyzer.phraseTerms("/api/v1/users"));
    assertEquals(List.of("0x1f3a"), LogAnalyzer.phraseTerms("0x1F3A"));
    assertEquals(List.of("10", "1", "2", "3"), LogAnalyzer.phraseTerms("10.1.2.3"));
    assertEquals(List.of(), LogAnalyzer.phraseTerms("... --- !!!"));
    assertEquals("straße", LogAnalyzer.lowercase("STRAßE"));
  }

  /**
   * Random text over an alphabet heavy in joiners, separators, surrogates and marks: the token
   * stream is always well formed, one part per position, and the query
   * side's {@link LogAnalyzer#phraseTerms} is exactly the index side's part sequence.
   */
  @Test
  void randomTextKeepsTheInvariants() throws IOException {
    long seed = System.nanoTime();
    System.out.println("LogAnalyzerTest.randomTextKeepsTheInvariants seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    String[] pieces = {"a", "B", "7", "é", "ß", "\u0301", "😀", "\ud800", "x", "0x1f", ".", "/", "-", "_", ":", "=", "@", " ", "\t", ",", "\"", "(", ")", "[", "]", "'", "İ", "Ω"};
    for (int round = 0; round < 2000; round++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(1, 60);
      for (int i = 0; i < n; i++) {
        sb.append(pieces[rnd.nextInt(pieces.length)]);
      }
      if (rnd.nextInt(20) == 0) {
        sb.append("q".repeat(rnd.nextInt(200, 700)));
      }
      String text = sb.toString();
      List<String> parts = new ArrayList<>();
      try (TokenStream ts = ANALYZER.tokenStream("message", text)) {
        CharTermAttribute term = ts.getAttribute(CharTermAttribute.class);
        PositionIncrementAttribute inc = ts.getAttribute(PositionIncrementAttribute.class);
        PositionLengthAttribute len = ts.getAttribute(PositionLengthAttribute.class);
        OffsetAttribute off = ts.getAttribute(OffsetAttribute.class);
        TypeAttribute type = ts.getAttribute(TypeAttribute.class);
        ts.reset();
        int pos = -1;
        int lastStart = 0;
        boolean first = true;
        while (ts.incrementToken()) {
          String msg = "seed=" + seed + " text=" + text;
          assertTrue(first ? inc.getPositionIncrement() == 1 : inc.getPositionIncrement() >= 0, msg);
          first = false;
          pos += inc.getPositionIncrement();
          assertTrue(off.startOffset() >= lastStart && off.endOffset() <= text.length() && off.startOffset() < off.endOffset(), msg);
          lastStart = off.startOffset();
          assertTrue(term.length() > 0 && term.length() <= 2 * LogTokenizer.MAX_TOKEN_CHARS, msg);
          assertEquals(term.toString(), LogAnalyzer.lowercase(term.toString()), msg);
          switch (type.type()) {
            case LogTokenizer.TYPE_PART, LogTokenizer.TYPE_WORD -> {
              assertEquals(1, inc.getPositionIncrement(), msg);
              assertEquals(1, len.getPositionLength(), msg);
              parts.add(term.toString());
            }
            case LogTokenizer.TYPE_HEX -> assertEquals(0, inc.getPositionIncrement(), msg);
            default -> throw new AssertionError(type.type());
          }
        }
        ts.end();
      }
      assertEquals(parts, LogAnalyzer.phraseTerms(text), "seed=" + seed + " text=" + text);
    }
  }

  /** Terms and positions of a token stream, terms as the UTF-8 bytes the index gets. */
  private static List<String> indexedTokens(TokenStream ts, String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (ts) {
      TermToBytesRefAttribute term = ts.getAttribute(TermToBytesRefAttribute.class);
      PositionIncrementAttribute inc = ts.getAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.getBytesRef().toString() + "+" + inc.getPositionIncrement());
      }
      ts.end();
    }
    return out;
  }

  /**
   * The indexing tokenizer writes UTF-8 terms itself; queries get theirs from term chars through
   * Lucene's encoding. On random text both must give the same bytes at the same positions.
   */
  @Test
  void theIndexingTokenizerGivesTheBytesTheAnalysisTokenizerDoes() throws IOException {
    long seed = System.nanoTime();
    System.out.println("LogAnalyzerTest.theIndexingTokenizerGivesTheBytesTheAnalysisTokenizerDoes seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    String[] pieces = {"a", "B", "Z", "7", "é", "É", "ß", "\u0301", "😀", "𐐀", "\ud800", "\udc00", "x", "0x1F", ".", "/", "-",
      " ", ",", "İ", "Ω", "Σ", "ǅ", "ﬀ", "\u0130", "Q".repeat(300)};
    LogTokenizer indexing = LogTokenizer.forIndexing();
    for (int round = 0; round < 3000; round++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(1, 40);
      for (int i = 0; i < n; i++) {
        sb.append(pieces[rnd.nextInt(pieces.length)]);
      }
      String text = sb.toString();
      indexing.setReader(new java.io.StringReader(text));
      assertEquals(indexedTokens(ANALYZER.tokenStream("message", text), text), indexedTokens(indexing, text),
          "seed=" + seed + " text=" + text);
    }
  }

  @Test
  void emptyAndWhitespaceGiveNoTokens() throws IOException {
    assertEquals("", tokens(""));
    assertFalse(tokens("a").isEmpty());
  }
}
