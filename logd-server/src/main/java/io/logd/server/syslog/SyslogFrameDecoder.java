package io.logd.server.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits a syslog stream into messages (RFC 6587), detecting the framing per message:
 *
 * <ul>
 *   <li>octet counting: {@code LEN SP MSG}, when the message starts with digits followed by a space;
 *   <li>otherwise non-transparent framing: the message runs to LF or NUL, and a CR before the LF is
 *       dropped.
 * </ul>
 *
 * LF, CR and NUL between messages are skipped. A message longer than {@code maxFrame} bytes is cut
 * there and emitted flagged as truncated; the rest of it is discarded, by count for octet counting
 * and up to the next delimiter otherwise, so the stream stays in sync. A partial message left when
 * the peer closes is emitted as well (flagged truncated when its octet count promised more).
 */
final class SyslogFrameDecoder extends ByteToMessageDecoder {
  /** One message, decoded as UTF-8. */
  record Frame(String text, boolean truncated) {}

  /** More digits than this cannot be an octet count within any sane frame limit. */
  private static final int MAX_COUNT_DIGITS = 9;

  private final int maxFrame;
  /** Bytes of an oversized octet-counted message still to discard. */
  private long discardCount;
  /** Discarding the rest of an oversized LF-framed message, up to its delimiter. */
  private boolean discardToDelimiter;

  SyslogFrameDecoder(int maxFrame) {
    if (maxFrame <= 0) {
      throw new IllegalArgumentException("maxFrame must be positive: " + maxFrame);
    }
    this.maxFrame = maxFrame;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      if (discardCount > 0) {
        int n = (int) Math.min(discardCount, in.readableBytes());
        in.skipBytes(n);
        discardCount -= n;
        continue;
      }
      if (discardToDelimiter) {
        int at = delimiter(in, in.readerIndex(), in.readableBytes());
        if (at < 0) {
          in.skipBytes(in.readableBytes());
          return;
        }
        in.readerIndex(at + 1);
        discardToDelimiter = false;
        continue;
      }
      int start = in.readerIndex();
      byte first = in.getByte(start);
      if (first == '\n' || first == '\r' || first == 0) {
        in.skipBytes(1);
        continue;
      }
      if (isDigit(first)) {
        int r = octetCounted(in, out);
        if (r == NEED_MORE) {
          return;
        }
        if (r == DONE) {
          continue;
        }
        // NOT_COUNTED: digits not followed by a space, e.g. an ISO timestamp without PRI.
      }
      if (!lineFramed(in, out)) {
        return;
      }
    }
  }

  private static final int DONE = 0;
  private static final int NEED_MORE = 1;
  private static final int NOT_COUNTED = 2;

  private int octetCounted(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    long len = 0;
    int i = start;
    while (i < end && isDigit(in.getByte(i))) {
      if (i - start >= MAX_COUNT_DIGITS) {
        return NOT_COUNTED;
      }
      len = len * 10 + (in.getByte(i) - '0');
      i++;
    }
    if (i == end) {
      return NEED_MORE;
    }
    if (in.getByte(i) != ' ') {
      return NOT_COUNTED;
    }
    int body = i + 1;
    if (len <= maxFrame) {
      if (end - body < len) {
        return NEED_MORE;
      }
      out.add(new Frame(text(in, body, (int) len), false));
      in.readerIndex(body + (int) len);
      return DONE;
    }
    if (end - body < maxFrame) {
      return NEED_MORE;
    }
    out.add(new Frame(text(in, body, maxFrame), true));
    in.readerIndex(body + maxFrame);
    discardCount = len - maxFrame;
    return DONE;
  }

  /** Emits one LF/NUL-terminated message; false when it needs more bytes. */
  private boolean lineFramed(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int readable = in.readableBytes();
    // Look one byte past the limit for the delimiter and one more for a CR before it.
    int window = (int) Math.min(readable, maxFrame + 2L);
    int at = delimiter(in, start, window);
    if (at >= 0) {
      int len = at - start;
      if (len > 0 && in.getByte(at - 1) == '\r') {
        len--;
      }
      boolean cut = len > maxFrame;
      out.add(new Frame(text(in, start, Math.min(len, maxFrame)), cut));
      in.readerIndex(at + 1);
      return true;
    }
    if (window == maxFrame + 2L) {
      out.add(new Frame(text(in, start, maxFrame), true));
      in.readerIndex(start + maxFrame);
      discardToDelimiter = true;
      return true;
    }
    return false;
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (!in.isReadable() || discardCount > 0 || discardToDelimiter) {
      in.skipBytes(in.readableBytes());
      return;
    }
    // The peer closed mid-message: keep what arrived rather than lose it.
    int start = in.readerIndex();
    int end = in.writerIndex();
    int i = start;
    while (i < end && isDigit(in.getByte(i)) && i - start < MAX_COUNT_DIGITS) {
      i++;
    }
    boolean counted = i > start && i < end && in.getByte(i) == ' ';
    int from = counted ? i + 1 : start;
    int len = end - from;
    while (len > 0 && isSpaceOrCr(in.getByte(from + len - 1))) {
      len--;
    }
    if (len > 0) {
      out.add(new Frame(text(in, from, Math.min(len, maxFrame)), counted || len > maxFrame));
    }
    in.skipBytes(in.readableBytes());
  }

  private static int delimiter(ByteBuf in, int from, int length) {
    return in.forEachByte(from, length, b -> b != '\n' && b != 0);
  }

  private static String text(ByteBuf in, int from, int len) {
    return in.toString(from, len, StandardCharsets.UTF_8);
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean isSpaceOrCr(byte b) {
    return b == '\r' || b == ' ';
  }
}
