package io.logd.rollup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The encoding of one section of a rollup row: a format byte, then variable-length integers and
 * length-prefixed UTF-8 strings. Histograms use HdrHistogram's own (uncompressed) encoding.
 */
final class RollupCodec {
  static final byte FORMAT = 1;

  private RollupCodec() {}

  /** A growable output buffer. One per flushing thread; not thread-safe. */
  static final class Out {
    byte[] buf = new byte[256];
    int len;
    private ByteBuffer histogramBuffer = ByteBuffer.allocate(1 << 16);

    void reset() {
      len = 0;
    }

    byte[] toBytes() {
      return Arrays.copyOf(buf, len);
    }

    private void ensure(int extra) {
      if (len + extra > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
      }
    }

    void writeByte(int b) {
      ensure(1);
      buf[len++] = (byte) b;
    }

    void writeVarLong(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[len++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[len++] = (byte) v;
    }

    void writeString(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      writeVarLong(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    void writeHistogram(Histogram h) {
      int need = h.getNeededByteBufferCapacity();
      if (histogramBuffer.capacity() < need) {
        histogramBuffer = ByteBuffer.allocate(need);
      }
      histogramBuffer.clear();
      int n = h.encodeIntoByteBuffer(histogramBuffer);
      writeVarLong(n);
      ensure(n);
      System.arraycopy(histogramBuffer.array(), 0, buf, len, n);
      len += n;
    }
  }

  /** A reader over one encoded section. */
  private static final class In {
    final byte[] buf;
    int pos;

    In(byte[] buf) {
      this.buf = buf;
    }

    long readVarLong() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = buf[pos++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw new IllegalStateException("bad varint in a rollup row");
    }

    int readLength() {
      long n = readVarLong();
      if (n < 0 || n > buf.length - pos) {
        throw new IllegalStateException("bad length in a rollup row");
      }
      return (int) n;
    }

    String readString() {
      int n = readLength();
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    Histogram readHistogram() {
      int n = readLength();
      try {
        Histogram h = Histogram.decodeFromByteBuffer(ByteBuffer.wrap(buf, pos, n).slice(), 0);
        h.setAutoResize(true);
        pos += n;
        return h;
      } catch (RuntimeException e) {
        throw new IllegalStateException("bad histogram in a rollup row", e);
      }
    }
  }

  /** Encodes one section of {@code r} into {@code out} (reset first). */
  static void encode(Rollup r, Section s, Out out) {
    out.reset();
    out.writeByte(FORMAT);
    switch (s) {
      case COUNTS -> {
        out.writeVarLong(r.total);
        out.writeVarLong(r.errors);
        out.writeVarLong(r.bytes);
      }
      case LEVEL, SERVICE, HOST, STATUS -> {
        CountMap m = r.countMap(s);
        out.writeVarLong(m.overflow);
        out.writeVarLong(m.counts.size());
        for (Map.Entry<String, long[]> e : m.counts.entrySet()) {
          out.writeString(e.getKey());
          out.writeVarLong(e.getValue()[0]);
        }
      }
      case LATENCY -> out.writeHistogram(r.latency);
      case SERVICE_LATENCY -> {
        out.writeVarLong(r.latencyByService.size());
        for (Map.Entry<String, Histogram> e : r.latencyByService.entrySet()) {
          out.writeString(e.getKey());
          out.writeHistogram(e.getValue());
        }
      }
      case SOURCE_IP, DEST_PORT, PATH -> {
        TopK t = r.top(s);
        out.writeVarLong(t.n);
        out.writeVarLong(t.maxError);
        out.writeVarLong(t.counts.size());
        for (Map.Entry<String, long[]> e : t.counts.entrySet()) {
          out.writeString(e.getKey());
          out.writeVarLong(e.getValue()[0]);
        }
      }
    }
  }

  /**
   * Adds an encoded section to {@code target}.
   *
   * @param topCapacity entries a top-K summary keeps after the merge; 0 keeps all
   * @throws IllegalStateException when the bytes are not a section of a known format
   */
  static void mergeInto(Rollup target, Section s, byte[] value, int maxKeys, int topCapacity) {
    In in = new In(value);
    try {
      if (in.buf.length == 0 || in.buf[in.pos++] != FORMAT) {
        throw new IllegalStateException("unknown rollup row format");
      }
      switch (s) {
        case COUNTS -> {
          target.total += in.readVarLong();
          target.errors += in.readVarLong();
          target.bytes += in.readVarLong();
        }
        case LEVEL, SERVICE, HOST, STATUS -> {
          CountMap m = target.countMap(s);
          m.overflow += in.readVarLong();
          long n = in.readVarLong();
          for (long i = 0; i < n; i++) {
            String key = in.readString();
            m.add(key, in.readVarLong(), maxKeys);
          }
        }
        case LATENCY -> {
          Histogram h = in.readHistogram();
          if (target.latency == null) {
            target.latency = h;
          } else {
            target.latency.add(h);
          }
        }
        case SERVICE_LATENCY -> {
          Rollup part = new Rollup(target.startMinute);
          long n = in.readVarLong();
          for (long i = 0; i < n; i++) {
            String service = in.readString();
            part.latencyByService.put(service, in.readHistogram());
          }
          target.merge(part, java.util.EnumSet.of(Section.SERVICE_LATENCY), maxKeys, topCapacity);
        }
        case SOURCE_IP, DEST_PORT, PATH -> {
          Rollup part = new Rollup(target.startMinute);
          TopK t = new TopK();
          t.n = in.readVarLong();
          t.maxError = in.readVarLong();
          long n = in.readVarLong();
          for (long i = 0; i < n; i++) {
            String key = in.readString();
            t.counts.put(key, new long[] {in.readVarLong()});
          }
          switch (s) {
            case SOURCE_IP -> part.sourceIp = t;
            case DEST_PORT -> part.destPort = t;
            default -> part.path = t;
          }
          target.merge(part, java.util.EnumSet.of(s), maxKeys, topCapacity);
        }
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalStateException("truncated rollup row", e);
    }
  }
}
