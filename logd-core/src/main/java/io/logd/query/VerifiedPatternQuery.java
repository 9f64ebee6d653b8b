package io.logd.query;

import io.logd.index.LogAnalyzer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.AutomatonQuery;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.lucene.util.automaton.ByteRunnable;
import org.apache.lucene.util.automaton.CompiledAutomaton;

/**
 * A pattern over {@code message} parts that the index can only narrow down: {@code approximation}
 * finds candidates, and each is confirmed by reading its message from the store and matching the
 * pieces against the parts {@link LogAnalyzer} splits it into, as the index would. {@link
 * PartsPatternQuery} answers this way when a piece expands to too many terms to look up, so {@code
 * 10.1.2*} finds {@code 10.1.2.3} and {@code 10.1.20.7} but not {@code 10.1.3.2}.
 *
 * <p>A check costs a store read and a pass of the analyzer, 5-30 us (the more, the farther apart
 * the candidates lie in the store), against well under a microsecond for a document the index
 * alone decides. One search of one day index checks at most
 * {@link #MAX_CHECKS} candidates and then fails with {@link QueryTooBroadException}, so a pattern
 * such as {@code 2*.example.com} over a busy day cannot hold a search thread for minutes.
 */
final class VerifiedPatternQuery extends Query {
  /** Most candidates one search of one day index checks: 0.5 to 3 s of work. */
  static final int MAX_CHECKS = 100_000;
  /** Relative cost of one check, against a few units for reading positions. */
  private static final float CHECK_COST = 10_000f;

  private final Query approximation;
  private final String field;
  private final List<Query> pieces;
  private final List<PartMatcher> matchers;
  /** The pieces the index could not expand, for the error when there are too many candidates. */
  private final String broadPieces;
  private final MessageSource messages;

  /**
   * @param approximation matches every document the pieces match, and maybe more
   * @param pieces as for {@link PartsPatternQuery}: per position a {@link TermQuery}, an {@link
   *     AutomatonQuery} (wildcard, prefix) or a {@link FuzzyQuery}, or null for any part
   * @param broadPieces the pieces {@code approximation} leaves open, as the user would write them
   */
  VerifiedPatternQuery(Query approximation, String field, List<Query> pieces, String broadPieces,
      MessageSource messages) {
    this.approximation = Objects.requireNonNull(approximation);
    this.broadPieces = Objects.requireNonNull(broadPieces);
    this.field = Objects.requireNonNull(field);
    this.pieces = Collections.unmodifiableList(new ArrayList<>(pieces)); // the gaps are nulls
    this.messages = Objects.requireNonNull(messages);
    List<PartMatcher> m = new ArrayList<>(pieces.size());
    for (Query piece : pieces) {
      m.add(PartMatcher.of(piece));
    }
    this.matchers = m;
  }

  /** Tests one part's UTF-8 bytes against a piece. */
  @FunctionalInterface
  interface PartMatcher {
    /** A gap: no part needs to be there. */
    PartMatcher ANY = part -> true;
    /** Any part, which must be there. */
    PartMatcher EVERY = part -> true;

    boolean matches(BytesRef part);

    static PartMatcher of(Query piece) {
      return switch (piece) {
        case null -> ANY;
        case TermQuery t -> t.getTerm().bytes()::bytesEquals;
        case AutomatonQuery a -> of(a.getCompiled());
        case FuzzyQuery f -> of(f.getAutomata());
        default -> throw new IllegalArgumentException("not a pattern piece: " + piece);
      };
    }

    private static PartMatcher of(CompiledAutomaton compiled) {
      return switch (compiled.type) {
        case NONE -> part -> false;
        case ALL -> EVERY;
        case SINGLE -> compiled.term::bytesEquals;
        case NORMAL -> {
          ByteRunnable run = compiled.getByteRunnable();
          yield part -> run.run(part.bytes, part.offset, part.length);
        }
      };
    }
  }

  /** One message's parts and their positions, as the analyzer gives them; reused message to message. */
  static final class MessageParts {
    private final List<BytesRefBuilder> parts = new ArrayList<>();
    private int[] positions = new int[64];
    private int size;

    /** Replaces the parts with those of {@code message} analyzed as {@code field}. */
    void load(Analyzer analyzer, String field, String message) throws IOException {
      size = 0;
      int position = -1;
      try (TokenStream tokens = analyzer.tokenStream(field, message)) {
        TermToBytesRefAttribute term = tokens.addAttribute(TermToBytesRefAttribute.class);
        PositionIncrementAttribute increment = tokens.addAttribute(PositionIncrementAttribute.class);
        tokens.reset();
        while (tokens.incrementToken()) {
          position += increment.getPositionIncrement();
          if (size == parts.size()) {
            parts.add(new BytesRefBuilder());
          }
          if (size == positions.length) {
            positions = Arrays.copyOf(positions, size * 2);
          }
          parts.get(size).copyBytes(term.getBytesRef());
          positions[size++] = position;
        }
        tokens.end();
      }
    }
  }

  /**
   * Whether some run of consecutive parts matches {@link #pieces}, a gap matching anything, as a
   * {@link org.apache.lucene.search.MultiPhraseQuery} of every term each piece expands to would.
   */
  boolean matches(MessageParts message) {
    int first = 0;
    while (matchers.get(first) == PartMatcher.ANY) {
      first++;
    }
    for (int j = 0; j < message.size; j++) {
      if (matchers.get(first).matches(message.parts.get(j).get())
          && matchesAt(message, message.positions[j] - first, first + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Whether pieces {@code from} onward match the parts at {@code base} plus their index. */
  private boolean matchesAt(MessageParts message, int base, int from) {
    int[] at = message.positions;
    for (int k = from; k < matchers.size(); k++) {
      PartMatcher m = matchers.get(k);
      if (m == PartMatcher.ANY) {
        continue;
      }
      boolean found = false;
      // parts come in position order; several share one only where the analyzer stacks them
      for (int j = lowerBound(at, message.size, base + k); j < message.size && at[j] == base + k && !found; j++) {
        found = m.matches(message.parts.get(j).get());
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** The first index below {@code size} whose position is at least {@code position}. */
  private static int lowerBound(int[] positions, int size, int position) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (positions[mid] < position) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    Query rewritten = approximation.rewrite(searcher);
    return rewritten == approximation ? this : new VerifiedPatternQuery(rewritten, field, pieces, broadPieces, messages);
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
    Weight candidates = searcher.createWeight(approximation, ScoreMode.COMPLETE_NO_SCORES, 1f);
    AtomicInteger checks = new AtomicInteger();
    return new ConstantScoreWeight(this, boost) {
      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
        ScorerSupplier inner = candidates.scorerSupplier(context);
        if (inner == null) {
          return null;
        }
        return new ScorerSupplier() {
          @Override
          public Scorer get(long leadCost) throws IOException {
            Scorer scorer = inner.get(leadCost);
            TwoPhaseIterator innerPhase = scorer.twoPhaseIterator();
            DocIdSetIterator approx = innerPhase != null ? innerPhase.approximation() : scorer.iterator();
            MessageSource.Leaf leaf = messages.forLeaf(context);
            MessageParts parts = new MessageParts();
            TwoPhaseIterator verified = new TwoPhaseIterator(approx) {
              @Override
              public boolean matches() throws IOException {
                if (innerPhase != null && !innerPhase.matches()) {
                  return false;
                }
                if (checks.incrementAndGet() > MAX_CHECKS) {
                  throw new QueryTooBroadException("'" + broadPieces + "' matches more than "
                      + PartsPatternQuery.MAX_EXPANSIONS + " different parts of " + field
                      + ", and checking the pattern's candidates would read more than " + MAX_CHECKS
                      + " stored events of one day; narrow the time range or lengthen that piece");
                }
                String message = leaf.message(approx.docID());
                if (message == null) {
                  return false;
                }
                parts.load(LogQueryParser.ANALYZER, field, message);
                return VerifiedPatternQuery.this.matches(parts);
              }

              @Override
              public float matchCost() {
                return (innerPhase == null ? 0f : innerPhase.matchCost()) + CHECK_COST;
              }
            };
            return new ConstantScoreScorer(score(), scoreMode, verified);
          }

          @Override
          public long cost() {
            return inner.cost();
          }
        };
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        return false; // answers come from the store, not from this segment alone
      }
    };
  }

  @Override
  public void visit(QueryVisitor visitor) {
    PartsPatternQuery.visitPieces(visitor, this, field, pieces);
  }

  @Override
  public String toString(String defaultField) {
    return PartsPatternQuery.describe("verified", field, pieces, defaultField);
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other) && approximation.equals(((VerifiedPatternQuery) other).approximation)
        && field.equals(((VerifiedPatternQuery) other).field) && pieces.equals(((VerifiedPatternQuery) other).pieces)
        && messages == ((VerifiedPatternQuery) other).messages;
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), approximation, field, pieces, System.identityHashCode(messages));
  }
}
