package io.logd.store;

import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.store.DataOutput;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.UnicodeUtil;

/**
 * The binary encoding of an event in the {@code events} column family.
 *
 * <p>The first byte is the format; readers dispatch on it, so old values stay readable after the
 * format evolves. The event time is not in the value: it is in the key. Format 1:
 *
 * <pre>
 * format(1) flags(1) zlong(received - timestamp)
 * [level ordinal(1)] [facility code(1)] [string host] [string service]
 * string message
 * [vint fieldCount, then per field: string name, type(1), value]
 * [vint tagCount, then strings]
 * </pre>
 *
 * Strings are a vint byte length and UTF-8; optional parts are present when their flag is set.
 * Field types: 0 string, 1 zlong, 2 double bits (8 bytes), 3 true, 4 false, 5 list (vint count,
 * then typed scalars).
 *
 * <p>Instances are cheap and not thread-safe: each thread keeps its own (see {@link #local()}).
 */
public final class EventCodec {
  public static final byte FORMAT_V1 = 1;

  static final int HAS_HOST = 1;
  static final int HAS_SERVICE = 1 << 1;
  static final int HAS_LEVEL = 1 << 2;
  static final int HAS_FACILITY = 1 << 3;
  static final int HAS_FIELDS = 1 << 4;
  static final int HAS_TAGS = 1 << 5;

  static final byte T_STRING = 0;
  static final byte T_LONG = 1;
  static final byte T_DOUBLE = 2;
  static final byte T_TRUE = 3;
  static final byte T_FALSE = 4;
  static final byte T_LIST = 5;

  private static final ThreadLocal<EventCodec> LOCAL = ThreadLocal.withInitial(EventCodec::new);

  private final ByteBuffersDataOutput out = ByteBuffersDataOutput.newResettableInstance();
  /** What {@link #decode} reads through; {@link #read} has its own, so decoding never moves a caller's view. */
  private final EncodedEvent decoding = new EncodedEvent();
  private final EncodedEvent view = new EncodedEvent();
  /** Longer strings are encoded by Lucene directly, so the scratch arrays stay small. */
  private static final int MAX_SCRATCH_CHARS = 16_384;

  private char[] chars = new char[256];
  private byte[] utf8 = new byte[1024];

  /** The calling thread's codec. */
  public static EventCodec local() {
    return LOCAL.get();
  }

  /** Encodes everything but the event time, which lives in the key. */
  public byte[] encode(LogEvent e) {
    out.reset();
    try {
      int flags = 0;
      if (e.host() != null) flags |= HAS_HOST;
      if (e.service() != null) flags |= HAS_SERVICE;
      if (e.level() != null) flags |= HAS_LEVEL;
      if (e.facility() != null) flags |= HAS_FACILITY;
      if (!e.fields().isEmpty()) flags |= HAS_FIELDS;
      if (!e.tags().isEmpty()) flags |= HAS_TAGS;
      out.writeByte(FORMAT_V1);
      out.writeByte((byte) flags);
      out.writeZLong(e.receivedNanos() - e.timestampNanos());
      if (e.level() != null) out.writeByte((byte) e.level().ordinal());
      if (e.facility() != null) out.writeByte((byte) e.facility().code());
      if (e.host() != null) writeString(out, e.host());
      if (e.service() != null) writeString(out, e.service());
      writeString(out, e.message());
      if (!e.fields().isEmpty()) {
        out.writeVInt(e.fields().size());
        for (Map.Entry<String, FieldValue> f : e.fields().entrySet()) {
          writeString(out, f.getKey());
          writeValue(out, f.getValue());
        }
      }
      if (!e.tags().isEmpty()) {
        out.writeVInt(e.tags().size());
        for (String tag : e.tags()) {
          writeString(out, tag);
        }
      }
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible); // heap output never fails
    }
    return out.toArrayCopy();
  }

  /**
   * What {@link DataOutput#writeString} writes: a vint length and UTF-8, with an unpaired surrogate
   * as U+FFFD. The chars are copied out in bulk first, because encoding through {@link
   * String#charAt} was most of the cost of encoding an event. No allocation once the scratch
   * arrays have grown.
   */
  void writeString(DataOutput out, String s) throws IOException {
    int n = s.length();
    if (n > MAX_SCRATCH_CHARS) {
      out.writeString(s); // rare; the scratch arrays would keep its size for the thread's life
      return;
    }
    if (chars.length < n) {
      chars = new char[ArrayUtil.oversize(n, Character.BYTES)];
    }
    s.getChars(0, n, chars, 0);
    int max = UnicodeUtil.maxUTF8Length(n);
    if (utf8.length < max) {
      utf8 = new byte[ArrayUtil.oversize(max, 1)];
    }
    int length = UnicodeUtil.UTF16toUTF8(chars, 0, n, utf8);
    out.writeVInt(length);
    out.writeBytes(utf8, length);
  }

  private void writeValue(DataOutput out, FieldValue v) throws IOException {
    switch (v) {
      case FieldValue.StringValue s -> {
        out.writeByte(T_STRING);
        writeString(out, s.value());
      }
      case FieldValue.LongValue l -> {
        out.writeByte(T_LONG);
        out.writeZLong(l.value());
      }
      case FieldValue.DoubleValue d -> {
        out.writeByte(T_DOUBLE);
        out.writeLong(Double.doubleToRawLongBits(d.value()));
      }
      case FieldValue.BoolValue b -> out.writeByte(b.value() ? T_TRUE : T_FALSE);
      case FieldValue.ListValue list -> {
        out.writeByte(T_LIST);
        out.writeVInt(list.values().size());
        for (FieldValue item : list.values()) {
          writeValue(out, item);
        }
      }
    }
  }

  /**
   * Decodes a value written by any known format.
   *
   * @throws CorruptEventException for an unknown format byte or a truncated value
   */
  public LogEvent decode(long timestampNanos, byte[] value) {
    EncodedEvent e = decoding.read(value);
    try {
      String host = e.hostOffset() < 0 ? null : e.string(e.hostOffset(), e.hostLength());
      String service = e.serviceOffset() < 0 ? null : e.string(e.serviceOffset(), e.serviceLength());
      String message = e.string(e.messageOffset(), e.messageLength());
      Map<String, FieldValue> fields = null;
      int n = e.fieldCount();
      if (n > 0) {
        fields = LinkedHashMap.newLinkedHashMap(n);
        for (int i = 0; i < n; i++) {
          fields.put(e.name(i), e.fieldValue(i));
        }
      }
      List<String> tags = null;
      if (e.tagCount() > 0) {
        tags = new ArrayList<>(e.tagCount());
        for (int i = 0; i < e.tagCount(); i++) {
          tags.add(e.string(e.tagOffset(i), e.tagLength(i)));
        }
      }
      return new LogEvent(timestampNanos, timestampNanos + e.receivedDelta(), host, service, e.level(), e.facility(),
          message, fields, tags);
    } catch (RuntimeException ex) {
      throw new CorruptEventException("cannot decode event value: " + ex, ex);
    }
  }

  /**
   * Reads a value in place, without decoding it, into this codec's reusable view: valid until the
   * next {@code read} on this codec.
   *
   * @throws CorruptEventException as {@link #decode} does
   */
  public EncodedEvent read(byte[] value) {
    return view.read(value);
  }
}
