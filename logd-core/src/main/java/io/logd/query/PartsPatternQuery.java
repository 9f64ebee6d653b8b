package io.logd.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiPhraseQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.util.BytesRef;

/**
 * A pattern over the parts of {@code message}: one piece per consecutive position, each a literal
 * term, a multi-term query (wildcard, prefix, fuzzy) that any one of its terms satisfies, or a gap
 * that any part fills. {@code 10.1.2*} is the pieces {@code 10}, {@code 1}, {@code 2*}.
 *
 * <p>It rewrites, against the whole index it runs on, to a {@link MultiPhraseQuery} of the terms
 * each piece expands to. A piece that expands to no term matches nothing. A piece that expands to
 * more than {@link #MAX_EXPANSIONS} terms (such as {@code 2*} among numbers) would make that
 * phrase slow to run, so the phrase leaves its position open; with a {@link MessageSource} the
 * query then checks each candidate's stored message ({@link VerifiedPatternQuery}) and stays exact,
 * without one (a single-document index, as in live tail, where no piece gets that broad) it matches
 * more.
 */
final class PartsPatternQuery extends Query {
  /** Terms one piece may expand to before it stops constraining its position. */
  static final int MAX_EXPANSIONS = 4096;

  private final String field;
  private final List<Query> pieces;
  private final MessageSource messages;

  /** A pattern whose too-broad pieces constrain nothing; see {@link #PartsPatternQuery(String, List, MessageSource)}. */
  PartsPatternQuery(String field, List<Query> pieces) {
    this(field, pieces, null);
  }

  /**
   * @param pieces per position: a {@link TermQuery} on {@code field}, a
   *     {@link MultiTermQuery} on {@code field}, or null for a gap; at least one non-null
   * @param messages where to check candidates when a piece is too broad to expand; null to let
   *     such a piece match any part
   */
  PartsPatternQuery(String field, List<Query> pieces, MessageSource messages) {
    this.messages = messages;
    this.field = Objects.requireNonNull(field);
    this.pieces = Collections.unmodifiableList(new ArrayList<>(pieces)); // List.copyOf refuses the gaps' nulls
    if (pieces.stream().allMatch(Objects::isNull)) {
      throw new IllegalArgumentException("a pattern needs at least one piece that is not a gap");
    }
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    IndexReader reader = searcher.getIndexReader();
    Terms terms = MultiTerms.getTerms(reader, field);
    if (terms == null) {
      return new MatchNoDocsQuery("no " + field + " in this index");
    }
    MultiPhraseQuery.Builder phrase = new MultiPhraseQuery.Builder();
    int constrained = 0;
    List<String> tooBroad = new ArrayList<>();
    for (int position = 0; position < pieces.size(); position++) {
      Query piece = pieces.get(position);
      Term[] expanded = piece == null ? null : expand(piece, terms);
      if (expanded != null && expanded.length == 0) {
        return new MatchNoDocsQuery(piece + " matches no term");
      }
      if (expanded != null) {
        phrase.add(expanded, position);
        constrained++;
      }
      if (piece != null && expanded == null) {
        tooBroad.add(piece.toString(field));
      }
    }
    // every piece too broad: any message is a candidate
    Query candidates = constrained == 0 ? new TermRangeQuery(field, null, null, true, true) : phrase.build();
    if (!tooBroad.isEmpty() && messages != null) {
      return new VerifiedPatternQuery(candidates, field, pieces, String.join(" ", tooBroad), messages);
    }
    return candidates;
  }

  /** The terms {@code piece} matches; null when more than {@link #MAX_EXPANSIONS}. */
  private Term[] expand(Query piece, Terms terms) throws IOException {
    if (piece instanceof TermQuery t) {
      return new Term[] {t.getTerm()};
    }
    TermsEnum matching = ((MultiTermQuery) piece).getTermsEnum(terms);
    List<Term> out = new ArrayList<>();
    for (BytesRef term = matching.next(); term != null; term = matching.next()) {
      if (out.size() == MAX_EXPANSIONS) {
        return null;
      }
      out.add(new Term(field, BytesRef.deepCopyOf(term)));
    }
    return out.toArray(new Term[0]);
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitPieces(visitor, this, field, pieces);
  }

  @Override
  public String toString(String defaultField) {
    return describe("parts", field, pieces, defaultField);
  }

  /** Visits the pieces of a pattern over {@code field} as required clauses of {@code parent}. */
  static void visitPieces(QueryVisitor visitor, Query parent, String field, List<Query> pieces) {
    if (visitor.acceptField(field)) {
      QueryVisitor sub = visitor.getSubVisitor(BooleanClause.Occur.MUST, parent);
      for (Query piece : pieces) {
        if (piece != null) {
          piece.visit(sub);
        }
      }
    }
  }

  /** {@code field:name(piece piece _ piece)}, the field left out when it is the default. */
  static String describe(String name, String field, List<Query> pieces, String defaultField) {
    StringBuilder sb = new StringBuilder();
    if (!field.equals(defaultField)) {
      sb.append(field).append(':');
    }
    sb.append(name).append('(');
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      Query piece = pieces.get(i);
      sb.append(piece == null ? "_" : piece.toString(field));
    }
    return sb.append(')').toString();
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other) && field.equals(((PartsPatternQuery) other).field)
        && pieces.equals(((PartsPatternQuery) other).pieces) && messages == ((PartsPatternQuery) other).messages;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * classHash() + field.hashCode()) + pieces.hashCode()) + System.identityHashCode(messages);
  }
}
