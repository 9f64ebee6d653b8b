package io.logd.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logd.index.LogAnalyzer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.memory.MemoryIndex;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.junit.jupiter.api.Test;

/**
 * The store-side check of a pattern agrees with what the index answers when it can expand every
 * piece: random patterns cut from real log lines, matched against each line both ways.
 */
class VerifiedPatternQueryTest {
  private static final String F = "message";
  private static final LogAnalyzer ANALYZER = new LogAnalyzer();
  private static final String[] LINES = {
    "10.1.2.3 - - [23/Nov/2026:10:00:00 +0000] \"GET /api/v1/users/42 HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\"",
    "10.1.20.9 - - [23/Nov/2026:10:00:01 +0000] \"POST /api/v1/orders HTTP/2.0\" 500 87 \"https://shop.example.com/\" \"Go-http-client/1.1\"",
    "Connection refused: connect to db-1.eu.example.com:5432 failed",
    "Nov 23 10:00:02 web-1 sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 52211 ssh2",
    "level=error msg=\"upstream timed out (110: Connection timed out) while reading response header\" upstream=10.0.0.12:8080",
    "Überweisung 4711 fehlgeschlagen: Konto gesperrt für Benutzer jürgen",
    "2026-11-23T10:00:03.123Z ERROR [main] c.e.Checkout - order 9f8e7d6c failed after 3 retries",
  };

  private static List<String> parts(String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (var tokens = ANALYZER.tokenStream(F, text)) {
      var term = tokens.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        out.add(term.toString());
      }
      tokens.end();
    }
    return out;
  }

  /** A piece for {@code part}: itself, a prefix, a wildcard, a fuzzy variant, another line's part, or a gap. */
  private static Query piece(String part, String elsewhere, Random rnd) {
    return switch (rnd.nextInt(7)) {
      case 0 -> new TermQuery(new Term(F, part));
      case 1 -> new PrefixQuery(new Term(F, part.substring(0, 1 + rnd.nextInt(part.length()))));
      case 2 -> {
        int at = rnd.nextInt(part.length());
        yield new WildcardQuery(new Term(F, part.substring(0, at) + (rnd.nextBoolean() ? "*" : "?") + part.substring(at + 1)));
      }
      case 3 -> new FuzzyQuery(new Term(F, part + (char) ('a' + rnd.nextInt(26))), 1, 0);
      case 4 -> new TermQuery(new Term(F, elsewhere));
      case 5 -> new WildcardQuery(new Term(F, "*" + elsewhere.substring(elsewhere.length() / 2)));
      default -> null;
    };
  }

  @Test
  void agreesWithAnIndexThatExpandsEveryPiece() throws IOException {
    long seed = new Random().nextLong();
    System.out.println("VerifiedPatternQueryTest seed=" + seed);
    Random rnd = new Random(seed);
    List<List<String>> lineParts = new ArrayList<>();
    for (String line : LINES) {
      lineParts.add(parts(line));
    }
    VerifiedPatternQuery.MessageParts scratch = new VerifiedPatternQuery.MessageParts();
    int matched = 0;
    for (int round = 0; round < 3000; round++) {
      List<String> from = lineParts.get(rnd.nextInt(LINES.length));
      List<String> other = lineParts.get(rnd.nextInt(LINES.length));
      int length = 1 + rnd.nextInt(Math.min(5, from.size()));
      int start = rnd.nextInt(from.size() - length + 1);
      List<Query> pieces = new ArrayList<>();
      for (int k = 0; k < length; k++) {
        pieces.add(piece(from.get(start + k), other.get(rnd.nextInt(other.size())), rnd));
      }
      if (pieces.stream().allMatch(p -> p == null)) {
        pieces.set(0, new TermQuery(new Term(F, from.get(start))));
      }
      VerifiedPatternQuery verified = new VerifiedPatternQuery(MatchAllDocsQuery.INSTANCE, F, pieces, "", leaf -> doc -> null);
      PartsPatternQuery expanded = new PartsPatternQuery(F, pieces);
      for (String line : LINES) {
        MemoryIndex index = new MemoryIndex();
        index.addField(F, line, ANALYZER);
        boolean want = index.search(expanded) > 0f;
        scratch.load(ANALYZER, F, line);
        assertEquals(want, verified.matches(scratch), () -> "seed " + seed + ": " + pieces + " on " + line);
        matched += want ? 1 : 0;
      }
    }
    System.out.println("VerifiedPatternQueryTest matches=" + matched + " of " + 3000 * LINES.length);
  }
}
