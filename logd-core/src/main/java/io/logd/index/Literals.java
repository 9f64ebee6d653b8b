package io.logd.index;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict parsing of the literal forms logd indexes and queries: IP addresses, integers and
 * decimals. Nothing here throws for bad input or looks anything up (no DNS, unlike
 * {@link InetAddress#getByName}); the IP parser writes into a caller's buffer so the indexing path
 * allocates nothing.
 *
 * <p>IP addresses are held as 16 bytes in the {@link org.apache.lucene.document.InetAddressPoint}
 * encoding: an IPv4 address is its IPv4-mapped IPv6 form {@code ::ffff:a.b.c.d}, so IPv4 and IPv6
 * share one point space and CIDR ranges work for both.
 */
public final class Literals {
  /** Bytes of an encoded address. */
  public static final int IP_BYTES = 16;

  /** The longest text form of an address we accept (an IPv6 address with an embedded IPv4). */
  static final int MAX_IP_CHARS = 45;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Literals() {}

  /**
   * Parses an IPv4 ({@code 10.1.2.3}) or IPv6 ({@code 2001:db8::1}, {@code ::ffff:10.1.2.3})
   * literal. IPv4 octets must be decimal without leading zeros ({@code 010.1.2.3} is not an
   * address, because tools disagree on whether it is octal); IPv6 zone IDs ({@code %eth0}) and
   * brackets are not accepted.
   *
   * @param out receives the 16-byte encoding when the text is an address; untouched bytes are
   *     unspecified when it is not
   * @return 4 for IPv4 text, 6 for IPv6 text (even an IPv4-mapped one), 0 when the text is not an
   *     address
   */
  public static int parseIp(CharSequence s, int from, int to, byte[] out) {
    int n = to - from;
    if (n < 2 || n > MAX_IP_CHARS) {
      return 0;
    }
    boolean colon = false;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == ':') {
        colon = true;
        break;
      }
    }
    if (!colon) {
      if (!parseIpv4(s, from, to, out, 12)) {
        return 0;
      }
      for (int i = 0; i < 10; i++) {
        out[i] = 0;
      }
      out[10] = (byte) 0xff;
      out[11] = (byte) 0xff;
      return 4;
    }
    return parseIpv6(s, from, to, out) ? 6 : 0;
  }

  /** {@link #parseIp(CharSequence, int, int, byte[])} over the whole text. */
  public static int parseIp(CharSequence s, byte[] out) {
    return parseIp(s, 0, s.length(), out);
  }

  /** True when the text is an IPv4 or IPv6 literal. */
  public static boolean isIp(CharSequence s) {
    return s.length() <= MAX_IP_CHARS && parseIp(s, 0, s.length(), new byte[IP_BYTES]) != 0;
  }

  private static boolean parseIpv4(CharSequence s, int from, int to, byte[] out, int offset) {
    int octets = 0;
    int i = from;
    while (true) {
      int start = i;
      int v = 0;
      while (i < to && i - start < 4) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        v = v * 10 + (c - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return false;
      }
      out[offset + octets++] = (byte) v;
      if (octets == 4) {
        return i == to;
      }
      if (i >= to || s.charAt(i) != '.') {
        return false;
      }
      i++;
    }
  }

  private static boolean parseIpv6(CharSequence s, int from, int to, byte[] out) {
    int[] groups = new int[8]; // small and short-lived; IPv6 values are rarer than IPv4
    int count = 0;
    int gap = -1; // index in groups where "::" stands
    int i = from;
    if (s.charAt(i) == ':') {
      if (i + 1 >= to || s.charAt(i + 1) != ':') {
        return false;
      }
      gap = 0;
      i += 2;
      if (i == to) {
        return fill(groups, count, gap, out);
      }
    }
    while (true) {
      int start = i;
      int v = 0;
      while (i < to && i - start < 5) {
        int d = hexValue(s.charAt(i));
        if (d < 0) {
          break;
        }
        v = (v << 4) | d;
        i++;
      }
      if (i < to && s.charAt(i) == '.') {
        // an embedded IPv4 address ends the text and takes the last two groups
        if (count > 6 || (gap < 0 && count != 6)) {
          return false;
        }
        byte[] v4 = new byte[4];
        if (!parseIpv4(s, start, to, v4, 0)) {
          return false;
        }
        groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        return fill(groups, count, gap, out);
      }
      int digits = i - start;
      if (digits == 0 || digits > 4 || count == 8) {
        return false;
      }
      groups[count++] = v;
      if (i == to) {
        return fill(groups, count, gap, out);
      }
      if (s.charAt(i) != ':') {
        return false;
      }
      i++;
      if (i < to && s.charAt(i) == ':') {
        if (gap >= 0) {
          return false;
        }
        gap = count;
        i++;
        if (i == to) {
          return fill(groups, count, gap, out);
        }
      } else if (i == to) {
        return false; // a single trailing colon
      }
    }
  }

  private static boolean fill(int[] groups, int count, int gap, byte[] out) {
    if (gap < 0 ? count != 8 : count > 7) {
      return false;
    }
    int zeros = 8 - count;
    int g = 0;
    for (int k = 0; k < 8; k++) {
      int v;
      if (gap >= 0 && k >= gap && k < gap + zeros) {
        v = 0;
      } else {
        v = groups[g++];
      }
      out[2 * k] = (byte) (v >>> 8);
      out[2 * k + 1] = (byte) v;
    }
    return true;
  }

  /** True when the 16 bytes are an IPv4-mapped address, i.e. an IPv4 address. */
  public static boolean isIpv4(byte[] ip) {
    for (int i = 0; i < 10; i++) {
      if (ip[i] != 0) {
        return false;
      }
    }
    return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
  }

  /**
   * The canonical text of an encoded address: dotted decimal for IPv4, RFC 5952 for IPv6 (lower
   * case, no leading zeros, the longest run of two or more zero groups shortened to {@code ::}).
   */
  public static String formatIp(byte[] ip) {
    StringBuilder sb = new StringBuilder(39);
    if (isIpv4(ip)) {
      for (int i = 12; i < 16; i++) {
        if (i > 12) {
          sb.append('.');
        }
        sb.append(ip[i] & 0xff);
      }
      return sb.toString();
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int k = 0; k < 8; ) {
      if (group(ip, k) == 0) {
        int start = k;
        while (k < 8 && group(ip, k) == 0) {
          k++;
        }
        if (k - start > bestLen) {
          bestStart = start;
          bestLen = k - start;
        }
      } else {
        k++;
      }
    }
    for (int k = 0; k < 8; k++) {
      if (k == bestStart) {
        sb.append("::");
        k += bestLen - 1;
        continue;
      }
      if (k > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      int v = group(ip, k);
      boolean started = false;
      for (int shift = 12; shift >= 0; shift -= 4) {
        int d = (v >>> shift) & 0xf;
        if (d != 0 || started || shift == 0) {
          sb.append(HEX[d]);
          started = true;
        }
      }
    }
    return sb.toString();
  }

  private static int group(byte[] ip, int k) {
    return ((ip[2 * k] & 0xff) << 8) | (ip[2 * k + 1] & 0xff);
  }

  /** The address for 16 encoded bytes; IPv4-mapped bytes give an {@link java.net.Inet4Address}. */
  public static InetAddress toInetAddress(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not a 16-byte address", e);
    }
  }

  /**
   * Parses a decimal integer: an optional sign and 1 to 19 digits, nothing else (no spaces, no
   * {@code _}, no decimal point). Returns null when the text is not one or does not fit a long.
   */
  public static Long parseLong(CharSequence s) {
    int n = s.length();
    if (n == 0 || n > 20) {
      return null;
    }
    int i = 0;
    boolean negative = false;
    char c0 = s.charAt(0);
    if (c0 == '-' || c0 == '+') {
      negative = c0 == '-';
      i = 1;
      if (n == 1) {
        return null;
      }
    }
    long v = 0; // accumulated negatively so Long.MIN_VALUE parses
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      int d = c - '0';
      if (v < (Long.MIN_VALUE + d) / 10) {
        return null;
      }
      v = v * 10 - d;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        return null;
      }
      v = -v;
    }
    return v;
  }

  /**
   * Parses a decimal number: optional sign, digits with an optional fraction, optional exponent
   * ({@code 1}, {@code -0.25}, {@code .5}, {@code 1e3}). {@code NaN}, {@code Infinity}, hex floats
   * and type suffixes ({@code 1d}), which {@link Double#parseDouble} would take, are refused.
   * Returns null when the text is not such a number.
   */
  public static Double parseDouble(CharSequence s) {
    int n = s.length();
    if (n == 0 || n > 64) {
      return null;
    }
    int i = 0;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      i++;
    }
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return null;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
        i++;
      }
      int exp = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        exp++;
      }
      if (exp == 0) {
        return null;
      }
    }
    if (i != n) {
      return null;
    }
    return Double.parseDouble(s.toString());
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
