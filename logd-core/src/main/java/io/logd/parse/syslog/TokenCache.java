package io.logd.parse.syslog;

/**
 * A direct-mapped cache of the short strings cut out of messages over and over: host names, app
 * names, MSGIDs and structured-data field names. A hit costs no allocation, and the cached String
 * keeps its hash, so the event's field map does not hash the name again.
 *
 * <p>Thread-safe without locks: a slot only ever holds a complete immutable entry, and a lost race
 * costs one allocation. A miss replaces the slot, so many distinct tokens only lower the hit rate.
 */
final class TokenCache {
  /** Longer tokens are rarely repeated; they are cut without looking. */
  static final int MAX_LENGTH = 64;
  private static final int SLOTS = 1024;

  /** A cached token: its chars (never written after construction) and its String. */
  private record Entry(char[] chars, String value) {}

  private final Entry[] slots = new Entry[SLOTS];

  /** {@code s.substring(from, to)} (buf holds the chars of s), from the cache when seen before. */
  String get(String s, char[] buf, int from, int to) {
    int len = to - from;
    if (len > MAX_LENGTH) {
      return s.substring(from, to);
    }
    int slot = index(hash(0, buf, from, to));
    Entry e = slots[slot];
    if (e != null && e.chars.length == len && same(e.chars, 0, buf, from, len)) {
      return e.value;
    }
    String v = s.substring(from, to);
    slots[slot] = new Entry(v.toCharArray(), v);
    return v;
  }

  /**
   * {@code buf[aFrom, aTo) + '.' + buf[bFrom, bTo)}, from the cache when seen before; aHash is
   * {@code hash(0, buf, aFrom, aTo)}, computed once for all the names sharing that prefix.
   */
  String dotted(char[] buf, int aFrom, int aTo, int aHash, int bFrom, int bTo) {
    int aLen = aTo - aFrom;
    int bLen = bTo - bFrom;
    int len = aLen + 1 + bLen;
    if (len > MAX_LENGTH) {
      return join(buf, aFrom, aLen, bFrom, bLen);
    }
    int slot = index(hash(31 * aHash + '.', buf, bFrom, bTo));
    Entry e = slots[slot];
    if (e != null && e.chars.length == len && same(e.chars, 0, buf, aFrom, aLen) && e.chars[aLen] == '.'
        && same(e.chars, aLen + 1, buf, bFrom, bLen)) {
      return e.value;
    }
    String v = join(buf, aFrom, aLen, bFrom, bLen);
    slots[slot] = new Entry(v.toCharArray(), v);
    return v;
  }

  /**
   * Continues String.hashCode's polynomial from h over buf[from, to), four chars a step: the plain
   * loop is a chain of multiply-adds (4 cycles a char), this one lets them overlap.
   */
  static int hash(int h, char[] buf, int from, int to) {
    int i = from;
    for (; i + 4 <= to; i += 4) {
      h = h * (31 * 31 * 31 * 31) + buf[i] * (31 * 31 * 31) + buf[i + 1] * (31 * 31) + buf[i + 2] * 31 + buf[i + 3];
    }
    for (; i < to; i++) {
      h = 31 * h + buf[i];
    }
    return h;
  }

  /** A plain loop: the tokens are short, too short for a vectorized compare to pay off. */
  private static boolean same(char[] a, int aFrom, char[] b, int bFrom, int len) {
    for (int i = 0; i < len; i++) {
      if (a[aFrom + i] != b[bFrom + i]) {
        return false;
      }
    }
    return true;
  }

  private static String join(char[] buf, int aFrom, int aLen, int bFrom, int bLen) {
    char[] joined = new char[aLen + 1 + bLen];
    System.arraycopy(buf, aFrom, joined, 0, aLen);
    joined[aLen] = '.';
    System.arraycopy(buf, bFrom, joined, aLen + 1, bLen);
    return new String(joined);
  }

  private static int index(int h) {
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
