package io.logd.event;

import java.util.Optional;

/**
 * The public identity of a stored event: its event time and its store sequence number. The text
 * form is 32 lower-case hex digits (16 for the time in ns, 16 for the seq), so IDs sort like the
 * store keys within a tenant. The tenant is deliberately not part of the ID: it comes from the
 * caller's key, which is what keeps one tenant from reading another's events.
 */
public record EventId(long timeNanos, long seq) implements Comparable<EventId> {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  public String hex() {
    char[] out = new char[32];
    writeHex(timeNanos, out, 0);
    writeHex(seq, out, 16);
    return new String(out);
  }

  /** Parses the 32-digit hex form; empty when the text is not one. */
  public static Optional<EventId> parse(CharSequence text) {
    if (text == null || text.length() != 32) {
      return Optional.empty();
    }
    long time = 0;
    long seq = 0;
    for (int i = 0; i < 32; i++) {
      int d = Character.digit(text.charAt(i), 16);
      if (d < 0) {
        return Optional.empty();
      }
      if (i < 16) {
        time = (time << 4) | d;
      } else {
        seq = (seq << 4) | d;
      }
    }
    return Optional.of(new EventId(time, seq));
  }

  private static void writeHex(long v, char[] out, int offset) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }

  @Override
  public int compareTo(EventId o) {
    int c = Long.compareUnsigned(timeNanos, o.timeNanos);
    return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
  }

  @Override
  public String toString() {
    return hex();
  }
}
