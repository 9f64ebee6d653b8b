package io.logd.index;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The analyzer for {@code message}: built for log lines, where IPs, paths, dotted names, hex IDs,
 * UUIDs, {@code key=value} pairs, e-mail addresses and URLs must be found both whole and by their
 * parts.
 *
 * <h2>Tokenization rules</h2>
 *
 * <ul>
 *   <li><b>Word characters</b> are letters, digits and combining marks (any script). <b>Joiners</b>
 *       are {@code . / \ - _ : = @ + % ~ # ? & $}. Every other character (space, quotes,
 *       brackets, {@code , ; | * ! ' < >}, ...) separates.
 *   <li>A <b>part</b> is a maximal run of word characters. A <b>compound</b> is a maximal run of
 *       parts joined by joiners, with joiners at either end dropped: {@code "/api/v1/users/42,"}
 *       is the compound {@code api/v1/users/42}.
 *   <li>Every part is a token at the next position ({@code <WORD>} when its compound has one part,
 *       else {@code <PART>}), exactly as if the joiners were spaces: {@code "from 10.1.2.3 port"}
 *       is the positions {@code from 10 1 2 3 port}. A whole compound is not a token of its own:
 *       it was one in day indexes written before 2026-12-06, and with about one compound to five
 *       parts in web logs, mostly IPs, paths and versions, it cost about an eighth of the index
 *       side's CPU (benchmarks/RESULTS.md).
 *   <li>{@code 0x}-prefixed hex ({@code 0x1f3a}) also yields the bare digits ({@code 1f3a},
 *       {@code <HEX>}) at the same position.
 *   <li>Everything is lower-cased per code point. Parts longer than 255 chars are cut into
 *       255-char pieces; only the first 1 Mi chars of a value are indexed.
 * </ul>
 *
 * <h2>Query side</h2>
 *
 * A query term must match the parts of its text at consecutive positions: use {@link
 * #phraseTerms(CharSequence)}. {@code 10.1.2.3} then matches {@code 10.1.2.3}, {@code
 * 10.1.2.3:8080} and {@code ip=10.1.2.3}; {@code /api/v1/users} matches {@code
 * /api/v1/users/42}; {@code 10} or {@code users} match as single parts. Patterns split the same
 * way, each piece matching one part (see {@code LogQueryParser}).
 *
 * <p>Thread-safe, like every {@link Analyzer}.
 */
public final class LogAnalyzer extends Analyzer {
  /** Position gap between two values of one field, so phrases never span values. */
  public static final int POSITION_GAP = 100;

  public LogAnalyzer() {}

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    return new TokenStreamComponents(new LogTokenizer());
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new LowerCaseFilter(in);
  }

  @Override
  public int getPositionIncrementGap(String fieldName) {
    return POSITION_GAP;
  }

  /**
   * The terms a query for {@code text} must find at consecutive positions: the parts of every
   * compound in order, without {@code <HEX>} tokens. One term is a term query, more are a phrase;
   * none means the text has no word characters.
   */
  public static List<String> phraseTerms(CharSequence text) {
    List<String> out = new ArrayList<>();
    try (LogTokenizer t = new LogTokenizer()) {
      t.setReader(new StringReader(text.toString()));
      CharTermAttribute term = t.getAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = t.getAttribute(PositionIncrementAttribute.class);
      t.reset();
      int position = -1;
      int lastKept = -1;
      while (t.incrementToken()) {
        position += inc.getPositionIncrement();
        if (position > lastKept) {
          out.add(term.toString());
          lastKept = position;
        }
      }
      t.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
    return out;
  }

  /** Lower-cases per code point, exactly as the tokenizer does. */
  public static String lowercase(CharSequence text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); ) {
      int cp = Character.codePointAt(text, i);
      int lower = Character.toLowerCase(cp);
      if (lower != cp && sb == null) {
        sb = new StringBuilder(text.length());
        sb.append(text, 0, i);
      }
      if (sb != null) {
        sb.appendCodePoint(lower);
      }
      i += Character.charCount(cp);
    }
    return sb == null ? text.toString() : sb.toString();
  }

  /** True for the code points parts are made of: letters, digits and combining marks. */
  public static boolean isWordCodePoint(int cp) {
    return LogTokenizer.isWordCodePoint(cp);
  }
}
