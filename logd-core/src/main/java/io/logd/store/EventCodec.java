package io.logd.store;

import io.logd.event.Facility;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.store.ByteArrayDataInput;
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

  private static final int HAS_HOST = 1;
  private static final int HAS_SERVICE = 1 << 1;
  private static final int HAS_LEVEL = 1 << 2;
  private static final int HAS_FACILITY = 1 << 3;
  private static final int HAS_FIELDS = 1 << 4;
  private static final int HAS_TAGS = 1 << 5;

  private static final byte T_STRING = 0;
  private static final byte T_LONG = 1;
  private static final byte T_DOUBLE = 2;
  private static final byte T_TRUE = 3;
  private static final byte T_FALSE = 4;
  private static final byte T_LIST = 5;

  private static final ThreadLocal<EventCodec> LOCAL = ThreadLocal.withInitial(EventCodec::new);

  private final ByteBuffersDataOutput out = ByteBuffersDataOutput.newResettableInstance();
  private final ByteArrayDataInput in = new ByteArrayDataInput();
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
    if (value.length < 2) {
      throw new CorruptEventException("event value too short: " + value.length + " bytes");
    }
    if (value[0] != FORMAT_V1) {
      throw new CorruptEventException("unknown event format byte " + value[0]);
    }
    try {
      in.reset(value, 1, value.length - 1);
      int flags = in.readByte();
      long received = timestampNanos + in.readZLong();
      Severity level = (flags & HAS_LEVEL) != 0 ? Severity.fromOrdinal(in.readByte()) : null;
      Facility facility = (flags & HAS_FACILITY) != 0 ? Facility.fromCode(in.readByte()) : null;
      String host = (flags & HAS_HOST) != 0 ? in.readString() : null;
      String service = (flags & HAS_SERVICE) != 0 ? in.readString() : null;
      String message = in.readString();
      Map<String, FieldValue> fields = null;
      if ((flags & HAS_FIELDS) != 0) {
        int n = in.readVInt();
        fields = LinkedHashMap.newLinkedHashMap(n);
        for (int i = 0; i < n; i++) {
          String name = in.readString();
          fields.put(name, readValue(in.readByte(), true));
        }
      }
      List<String> tags = null;
      if ((flags & HAS_TAGS) != 0) {
        int n = in.readVInt();
        tags = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          tags.add(in.readString());
        }
      }
      if (in.getPosition() != value.length) {
        throw new CorruptEventException(
            "event value has " + (value.length - in.getPosition()) + " trailing bytes");
      }
      return new LogEvent(timestampNanos, received, host, service, level, facility, message, fields, tags);
    } catch (CorruptEventException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CorruptEventException("cannot decode event value: " + e, e);
    }
  }

  private FieldValue readValue(byte type, boolean listAllowed) throws IOException {
    return switch (type) {
      case T_STRING -> new FieldValue.StringValue(in.readString());
      case T_LONG -> new FieldValue.LongValue(in.readZLong());
      case T_DOUBLE -> new FieldValue.DoubleValue(Double.longBitsToDouble(in.readLong()));
      case T_TRUE -> FieldValue.BoolValue.TRUE;
      case T_FALSE -> FieldValue.BoolValue.FALSE;
      case T_LIST -> {
        if (!listAllowed) {
          throw new CorruptEventException("nested list in field value");
        }
        int n = in.readVInt();
        List<FieldValue> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          items.add(readValue(in.readByte(), false));
        }
        yield new FieldValue.ListValue(items);
      }
      default -> throw new CorruptEventException("unknown field type " + type);
    };
  }
}
