package io.logd.config;

import io.logd.index.Literals;

/**
 * An address block such as {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address. IPv4 blocks
 * live in the IPv4-mapped part of the IPv6 space, so {@code 0.0.0.0/0} admits every IPv4 source and
 * {@code ::/0} admits every source.
 *
 * @param network the 16-byte network address, host bits zero
 * @param bits the prefix length in the 128-bit space
 */
public record Cidr(byte[] network, int bits) {

  /** The block written as {@code addr} or {@code addr/len}; null when the text is not one. */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    byte[] ip = new byte[Literals.IP_BYTES];
    int version = Literals.parseIp(t, 0, slash < 0 ? t.length() : slash, ip);
    if (version == 0) {
      return null;
    }
    int max = version == 4 ? 32 : 128;
    int len = max;
    if (slash >= 0) {
      String n = t.substring(slash + 1);
      if (n.isEmpty() || n.length() > 3 || !n.chars().allMatch(Character::isDigit)) {
        return null;
      }
      len = Integer.parseInt(n);
      if (len > max) {
        return null;
      }
    }
    int bits = version == 4 ? 96 + len : len;
    mask(ip, bits);
    return new Cidr(ip, bits);
  }

  /** True when {@code address} (4 or 16 bytes, as {@link java.net.InetAddress#getAddress()} gives) is inside. */
  public boolean contains(byte[] address) {
    byte[] a = address;
    if (address.length == 4) {
      a = new byte[16];
      a[10] = (byte) 0xff;
      a[11] = (byte) 0xff;
      System.arraycopy(address, 0, a, 12, 4);
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int m = (0xff << (8 - rest)) & 0xff;
    return (a[full] & m) == (network[full] & m);
  }

  private static void mask(byte[] ip, int bits) {
    for (int i = 0; i < ip.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      ip[i] &= (byte) ((0xff << (8 - keep)) & 0xff);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && bits == c.bits && java.util.Arrays.equals(network, c.network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + bits;
  }

  @Override
  public String toString() {
    boolean v4 = bits >= 96 && Literals.isIpv4(network);
    return Literals.formatIp(network) + "/" + (v4 ? bits - 96 : bits);
  }
}
