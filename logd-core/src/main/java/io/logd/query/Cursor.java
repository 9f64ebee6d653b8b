package io.logd.query;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a page of results ended: the (time, seq) of its last event and the order. The next page
 * starts strictly after that position, so pages never repeat or skip an event that existed when
 * paging began, however much is ingested meanwhile. The text form is opaque (URL-safe base64).
 */
public record Cursor(long timeNanos, long seq, boolean newestFirst) {
  private static final byte VERSION = 1;

  public String encode() {
    ByteBuffer b = ByteBuffer.allocate(18);
    b.put(VERSION).put((byte) (newestFirst ? 1 : 0)).putLong(timeNanos).putLong(seq);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** Decodes a cursor; empty when the text is not one this version wrote. */
  public static Optional<Cursor> decode(String text) {
    if (text == null || text.isEmpty() || text.length() > 64) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (bytes.length != 18 || bytes[0] != VERSION || (bytes[1] & ~1) != 0) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 2, 16);
    return Optional.of(new Cursor(b.getLong(), b.getLong(), bytes[1] == 1));
  }
}
