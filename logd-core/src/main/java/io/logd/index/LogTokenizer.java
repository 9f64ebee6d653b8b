package io.logd.index;

import java.io.IOException;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

/**
 * The hand-written tokenizer behind {@link LogAnalyzer}; see there for the rules. One pass over a
 * char buffer, a 128-entry class table for ASCII, no regular expressions, and no allocation per
 * token once the buffers have grown.
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

  private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
  private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
  private final PositionIncrementAttribute posIncAtt = addAttribute(PositionIncrementAttribute.class);
  private final TypeAttribute typeAtt = addAttribute(TypeAttribute.class);

  private char[] buf = new char[1024];
  private int len;
  private int pos;

  // the current compound: its parts (already cut to MAX_TOKEN_CHARS) and what is left to emit
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private int parts;
  private int nextPart;
  private int hexAlt = -1;

  LogTokenizer() {}

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
  }

  @Override
  public boolean incrementToken() {
    clearAttributes();
    if (hexAlt >= 0) {
      int k = hexAlt;
      hexAlt = -1;
      setTerm(starts[k] + 2, ends[k]);
      setOffsets(starts[k] + 2, ends[k]);
      posIncAtt.setPositionIncrement(0);
      typeAtt.setType(TYPE_HEX);
      return true;
    }
    if (nextPart == parts && !scanCompound()) {
      return false;
    }
    emitPart(nextPart++);
    return true;
  }

  private void emitPart(int k) {
    setTerm(starts[k], ends[k]);
    setOffsets(starts[k], ends[k]);
    posIncAtt.setPositionIncrement(1);
    typeAtt.setType(parts == 1 ? TYPE_WORD : TYPE_PART);
    if (isPrefixedHex(starts[k], ends[k])) {
      hexAlt = k;
    }
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

  private void setOffsets(int s, int e) {
    offsetAtt.setOffset(correctOffset(s), correctOffset(e));
  }

  /** Copies {@code buf[s, e)} lower-cased (per code point, like {@code LowerCaseFilter}) into the term. */
  private void setTerm(int s, int e) {
    char[] t = termAtt.resizeBuffer(e - s);
    int j = 0;
    for (int i = s; i < e; i++) {
      char c = buf[i];
      if (c < 128) {
        t[j++] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
      } else {
        int cp = Character.codePointAt(buf, i, e);
        int lower = Character.toLowerCase(cp);
        int cc = Character.charCount(lower);
        if (j + cc + (e - i) > t.length) {
          t = termAtt.resizeBuffer(j + cc + (e - i));
        }
        Character.toChars(lower, t, j);
        j += cc;
        i += Character.charCount(cp) - 1;
      }
    }
    termAtt.setLength(j);
  }

  @Override
  public void end() throws IOException {
    super.end();
    int last = correctOffset(len);
    offsetAtt.setOffset(last, last);
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
