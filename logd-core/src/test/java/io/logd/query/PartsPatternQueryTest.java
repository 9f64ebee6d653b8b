package io.logd.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/** How a pattern over parts treats pieces that expand to no term, a few, or too many. */
class PartsPatternQueryTest {
  private static final String F = "message";

  private static TermQuery term(String t) {
    return new TermQuery(new Term(F, t));
  }

  private static PrefixQuery prefix(String p) {
    return new PrefixQuery(new Term(F, p));
  }

  /** Reads the texts {@link #count} indexes, by doc id; null for the ones in {@code gone}. */
  private static MessageSource texts(int noise, Set<Integer> gone) {
    List<String> all = new ArrayList<>(List.of("ip 10 1 2 3", "ip 10 1 3 4"));
    for (int i = 0; i < noise; i++) {
      all.add("x 2" + i);
    }
    return leaf -> doc -> gone.contains(leaf.docBase + doc) ? null : all.get(leaf.docBase + doc);
  }

  /** Documents "ip 10 1 2 3" and "ip 10 1 3 4", plus "n0".."nN" noise parts after "x". */
  private static int count(Query q, int noise) throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
        for (String text : new String[] {"ip 10 1 2 3", "ip 10 1 3 4"}) {
          Document d = new Document();
          d.add(new TextField(F, text, Field.Store.NO));
          w.addDocument(d);
        }
        for (int i = 0; i < noise; i++) {
          Document d = new Document();
          d.add(new TextField(F, "x 2" + i, Field.Store.NO));
          w.addDocument(d);
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        return new IndexSearcher(reader).count(q);
      }
    }
  }

  @Test
  void piecesMatchConsecutivePartsWhileTheirExpansionsAreFew() throws IOException {
    Query q = new PartsPatternQuery(F, Arrays.asList(term("10"), term("1"), prefix("2")));
    assertEquals(1, count(q, 0)); // "10 1 2", not "10 1 3"
    assertEquals(1, count(new PartsPatternQuery(F, Arrays.asList(term("10"), null, term("3"))), 0));
  }

  @Test
  void aPieceWithoutTermsMatchesNothing() throws IOException {
    assertEquals(0, count(new PartsPatternQuery(F, Arrays.asList(term("10"), prefix("zz"))), 0));
  }

  @Test
  void aPieceExpandingPastTheCapConstrainsNothing() throws IOException {
    Query q = new PartsPatternQuery(F, Arrays.asList(term("10"), term("1"), prefix("2")));
    // "2*" now expands to more than MAX_EXPANSIONS parts: any part after "10 1" matches
    assertEquals(2, count(q, PartsPatternQuery.MAX_EXPANSIONS));
  }

  @Test
  void aPieceTooBroadToExpandIsCheckedAgainstEachCandidatesMessage() throws IOException {
    List<Query> pieces = Arrays.asList(term("10"), term("1"), prefix("2"));
    int noise = PartsPatternQuery.MAX_EXPANSIONS;
    assertEquals(1, count(new PartsPatternQuery(F, pieces, texts(noise, Set.of())), noise));
    // the same inside a conjunction, where the pattern is led by another clause
    Query both = new BooleanQuery.Builder()
        .add(term("ip"), BooleanClause.Occur.FILTER)
        .add(new PartsPatternQuery(F, pieces, texts(noise, Set.of())), BooleanClause.Occur.FILTER)
        .build();
    assertEquals(1, count(both, noise));
    // a candidate whose event is no longer stored is not a match
    assertEquals(0, count(new PartsPatternQuery(F, pieces, texts(noise, Set.of(0))), noise));
    // every piece too broad: each message is a candidate, and "ip 10 1 3 4" is not a match
    assertEquals(noise + 1, count(new PartsPatternQuery(F, List.of(prefix("2")), texts(noise, Set.of())), noise));
  }

  @Test
  void aSearchThatWouldCheckTooManyCandidatesFailsWithAClearError() throws IOException {
    int noise = VerifiedPatternQuery.MAX_CHECKS;
    Query q = new PartsPatternQuery(F, List.of(prefix("2")), texts(noise, Set.of()));
    QueryTooBroadException e = assertThrows(QueryTooBroadException.class, () -> count(q, noise));
    assertTrue(e.getMessage().startsWith("'2*' matches more than 4096 different parts of message"), e.getMessage());
    assertTrue(e.getMessage().endsWith("narrow the time range or lengthen that piece"), e.getMessage());
  }
}
