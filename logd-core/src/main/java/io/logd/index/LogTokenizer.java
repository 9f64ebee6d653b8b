package io.logd.index;

import java.io.IOException;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.apache.lucene.util.AttributeFactory;
import org.apache.lucene.util.BytesRefBuilder;

/**
 * The hand-written tokenizer behind {@link LogAnalyzer}; see there for the rules. One pass over a
 * char buffer, a 128-entry class table for ASCII, no regular expressions, and no allocation per
 * token once the buffers have grown.
 *
 * <p>Two kinds: {@link #LogTokenizer()} gives the usual attributes (term chars, offsets, types),
 * for analysis and queries; {@link #forIndexing()} gives only what the index reads, the term as
 * UTF-8 bytes and the position increment, written straight from the text (the term chars and
 * their UTF-8 conversion were a tenth of the indexer's time). Both give the same terms at the same
 * positions.
 */
final class LogTokenizer extends Tokenizer {
  /** Parts longer than this are cut into pieces of this many chars. */
  static final int MAX_TOKEN_CHARS = 255;
  /** Text beyond this many chars of one value is not indexed. */
  static final int MAX_INPUT_CHARS = 1 << 20;

  static final String TYPE_WORD = "<WORD>";
  static final String TYPE_PART = "<PART>";
  static final String TYPE_HEX = "<HEX>";

  static final byte SEP = 0;
  static final byte WORD = 1;
  static final byte JOIN = 2;

  /** Characters that join word runs into one compound; every other non-word character separates. */
  static final String JOINERS = "./\\-_:=@+%~#?&$";

  private static final byte[] ASCII = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII[c] = Character.isLetterOrDigit(c) ? WORD : SEP;
    }
    for (int i = 0; i < JOINERS.length(); i++) {
      ASCII[JOINERS.charAt(i)] = JOIN;
    }
  }

  private final PositionIncrementAttribute posIncAtt = addAttribute(PositionIncrementAttribute.class);
  // analysis kind
  private final CharTermAttribute termAtt;
  private final OffsetAttribute offsetAtt;
  private final TypeAttribute typeAtt;
  // indexing kind
  private final BytesTermAttribute bytesAtt;
  private final BytesRefBuilder termBytes;
  /** Lower-cased chars of a non-ASCII term on their way to {@link #termBytes}. */
  private char[] lowerScratch = new char[2 * MAX_TOKEN_CHARS];

  private char[] buf = new char[1024];
  private int len;
  private int pos;

  // the current compound: its parts (already cut to MAX_TOKEN_CHARS) and what is left to emit
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private int parts;
  private int nextPart;
  private int hexAlt = -1;

  /** A tokenizer with term chars, offsets and types. */
  LogTokenizer() {
    this(false);
  }

  private LogTokenizer(boolean indexing) {
    // Lucene's default factory packs term chars with the other attributes, and those chars would
    // then be the term the index reads: the indexing kind takes one class per attribute.
    super(indexing ? AttributeFactory.DEFAULT_ATTRIBUTE_FACTORY : TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY);
    termAtt = indexing ? null : addAttribute(CharTermAttribute.class);
    offsetAtt = indexing ? null : addAttribute(OffsetAttribute.class);
    typeAtt = indexing ? null : addAttribute(TypeAttribute.class);
    bytesAtt = indexing ? addAttribute(BytesTermAttribute.class) : null;
    termBytes = indexing ? new BytesRefBuilder() : null;
  }

  /** A tokenizer whose tokens are UTF-8 terms and position increments only, for the index. */
  static LogTokenizer forIndexing() {
    return new LogTokenizer(true);
  }

  /** The class of the char at {@code i}: {@link #WORD}, {@link #JOIN} or {@link #SEP}. */
  static byte classOf(char[] b, int i, int end) {
    char c = b[i];
    if (c < 128) {
      return ASCII[c];
    }
    int cp = c;
    if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(b[i + 1])) {
      cp = Character.toCodePoint(c, b[i + 1]);
    }
    return isWordCodePoint(cp) ? WORD : SEP;
  }

  static boolean isWordCodePoint(int cp) {
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int t = Character.getType(cp);
    return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK;
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    len = 0;
    while (len < MAX_INPUT_CHARS) {
      if (len == buf.length) {
        char[] bigger = new char[Math.min(MAX_INPUT_CHARS, buf.length * 2)];
        System.arraycopy(buf, 0, bigger, 0, len);
        buf = bigger;
      }
      int n = input.read(buf, len, buf.length - len);
      if (n < 0) {
        break;
      }
      len += n;
    }
    pos = 0;
    parts = 0;
    nextPart = 0;
    hexAlt = -1;
    if (bytesAtt != null) {
      clearAttributes();
    }
  }

  @Override
  public boolean incrementToken() {
    // The indexing kind sets every attribute it has on each token, and the ones the index adds
    // (frequency, offsets) keep the defaults reset() gave them: clearing them per token was 4 % of
    // the indexer thread.
    if (bytesAtt == null) {
      clearAttributes();
    }
    if (hexAlt >= 0) {
      int k = hexAlt;
      hexAlt = -1;
      emit(starts[k] + 2, ends[k], 0, TYPE_HEX);
      return true;
    }
    if (nextPart == parts && !scanCompound()) {
      return false;
    }
    int k = nextPart++;
    emit(starts[k], ends[k], 1, parts == 1 ? TYPE_WORD : TYPE_PART);
    if (isPrefixedHex(starts[k], ends[k])) {
      hexAlt = k;
    }
    return true;
  }

  private void emit(int s, int e, int positionIncrement, String type) {
    posIncAtt.setPositionIncrement(positionIncrement);
    if (bytesAtt != null) {
      setTermBytes(s, e);
      return;
    }
    setTerm(s, e);
    offsetAtt.setOffset(correctOffset(s), correctOffset(e));
    typeAtt.setType(type);
  }

  /** {@code 0x1f3a}: also emitted as {@code 1f3a} at the same position. */
  private boolean isPrefixedHex(int s, int e) {
    if (e - s < 3 || buf[s] != '0' || (buf[s + 1] != 'x' && buf[s + 1] != 'X')) {
      return false;
    }
    for (int i = s + 2; i < e; i++) {
      char c = buf[i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** Finds the next compound: word runs joined by joiners, trimmed of joiners at both ends. */
  private boolean scanCompound() {
    char[] b = buf;
    int n = len;
    while (pos < n && classOf(b, pos, n) != WORD) {
      pos++;
    }
    if (pos >= n) {
      return false;
    }
    parts = 0;
    while (pos < n) {
      byte cls = classOf(b, pos, n);
      if (cls == WORD) {
        int s = pos;
        do {
          pos += Character.isHighSurrogate(b[pos]) && pos + 1 < n && Character.isLowSurrogate(b[pos + 1]) ? 2 : 1;
        } while (pos < n && classOf(b, pos, n) == WORD);
        addPart(s, pos);
      } else if (cls == JOIN) {
        pos++;
      } else {
        break;
      }
    }
    nextPart = 0;
    return true;
  }

  private void addPart(int s, int e) {
    while (e - s > MAX_TOKEN_CHARS) {
      int cut = s + MAX_TOKEN_CHARS;
      if (Character.isHighSurrogate(buf[cut - 1])) {
        cut--;
      }
      addRun(s, cut);
      s = cut;
    }
    addRun(s, e);
  }

  private void addRun(int s, int e) {
    if (parts == starts.length) {
      starts = java.util.Arrays.copyOf(starts, parts * 2);
      ends = java.util.Arrays.copyOf(ends, parts * 2);
    }
    starts[parts] = s;
    ends[parts] = e;
    parts++;
  }

  /** Copies {@code buf[s, e)} lower-cased (per code point, like {@code LowerCaseFilter}) into the term. */
  private void setTerm(int s, int e) {
    termAtt.setLength(lowercase(buf, s, e, termAtt.resizeBuffer(2 * (e - s)), 0));
  }

  /**
   * {@code buf[s, e)} lower-cased as UTF-8 into the term bytes: ASCII directly, anything else
   * through {@link #setTerm}'s lower-casing and Lucene's UTF-8 encoding, exactly as a char term
   * would be indexed.
   */
  private void setTermBytes(int s, int e) {
    byte[] out = termBytes.bytes();
    if (out.length < e - s) {
      termBytes.grow(e - s);
      out = termBytes.bytes();
    }
    int j = 0;
    for (int i = s; i < e; i++) {
      char c = buf[i];
      if (c >= 128) {
        if (lowerScratch.length < 2 * (e - s)) {
          lowerScratch = new char[2 * (e - s)];
        }
        termBytes.copyChars(lowerScratch, 0, lowercase(buf, s, e, lowerScratch, 0));
        bytesAtt.setBytesRef(termBytes.get());
        return;
      }
      out[j++] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    termBytes.setLength(j);
    bytesAtt.setBytesRef(termBytes.get());
  }

  /**
   * Writes {@code src[s, e)} lower-cased per code point (like {@code LowerCaseFilter}) into {@code
   * dst} from {@code at}, which must have room for {@code 2 * (e - s)} chars (a char never
   * lower-cases to more than two); returns the end of what was written.
   */
  static int lowercase(char[] src, int s, int e, char[] dst, int at) {
    int j = at;
    for (int i = s; i < e; i++) {
      char c = src[i];
      if (c < 128) {
        dst[j++] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
      } else {
        int cp = Character.codePointAt(src, i, e);
        j += Character.toChars(Character.toLowerCase(cp), dst, j);
        i += Character.charCount(cp) - 1;
      }
    }
    return j;
  }

  @Override
  public void end() throws IOException {
    super.end();
    if (offsetAtt != null) {
      int last = correctOffset(len);
      offsetAtt.setOffset(last, last);
    }
  }

  @Override
  public void close() throws IOException {
    super.close();
    if (buf.length > 1 << 16) {
      buf = new char[1024]; // don't pin one huge message's buffer
    }
    if (starts.length > 1024) {
      starts = new int[16];
      ends = new int[16];
    }
  }
}
