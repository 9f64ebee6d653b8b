package io.logd.store;

import io.logd.event.Facility;
import io.logd.event.FieldValue;
import io.logd.event.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.store.ByteArrayDataInput;

/**
 * An event value of the {@code events} column family read in place: where each string's UTF-8
 * bytes are in the value, and the scalars, without making Strings, maps or {@link FieldValue}s.
 * The indexer maps events from this view, which saves it decoding every event it indexes; {@link
 * EventCodec#decode} builds a {@link io.logd.event.LogEvent} from it. The format is documented on
 * {@link EventCodec}.
 *
 * <p>A string is given as an offset and a length into {@link #bytes()}; an absent optional string
 * has offset -1. Reusable and not thread-safe: {@link #read} replaces what the previous call read,
 * and the view keeps the value array it was given.
 */
public final class EncodedEvent {
  /** The kind of a field's value; the ordinal is the type byte of the format. Lists hold scalars only. */
  public enum Kind { STRING, LONG, DOUBLE, TRUE, FALSE, LIST }

  private static final Kind[] KINDS = Kind.values();

  private final ByteArrayDataInput in = new ByteArrayDataInput();
  private byte[] bytes;
  private long receivedDelta;
  private Severity level;
  private Facility facility;
  private int hostOffset;
  private int hostLength;
  private int serviceOffset;
  private int serviceLength;
  private int messageOffset;
  private int messageLength;

  private int fieldCount;
  private int[] nameOffsets = new int[16];
  private int[] nameLengths = new int[16];
  private Kind[] kinds = new Kind[16];
  /** Strings: the value's offset; lists: the offset of the list's count; other kinds unused. */
  private int[] valueOffsets = new int[16];
  /** Strings: the byte length; longs: the value; doubles: the raw bits; lists: the count. */
  private long[] values = new long[16];

  private int tagCount;
  private int[] tagOffsets = new int[8];
  private int[] tagLengths = new int[8];

  /**
   * Reads a value written by any known format.
   *
   * @throws CorruptEventException for an unknown format byte or a truncated or overlong value
   */
  public EncodedEvent read(byte[] value) {
    if (value.length < 2) {
      throw new CorruptEventException("event value too short: " + value.length + " bytes");
    }
    if (value[0] != EventCodec.FORMAT_V1) {
      throw new CorruptEventException("unknown event format byte " + value[0]);
    }
    bytes = value;
    try {
      in.reset(value, 1, value.length - 1);
      int flags = in.readByte();
      receivedDelta = zlong(in);
      level = (flags & EventCodec.HAS_LEVEL) != 0 ? Severity.fromOrdinal(in.readByte()) : null;
      facility = (flags & EventCodec.HAS_FACILITY) != 0 ? Facility.fromCode(in.readByte()) : null;
      hostOffset = -1;
      hostLength = 0;
      if ((flags & EventCodec.HAS_HOST) != 0) {
        hostLength = string();
        hostOffset = in.getPosition() - hostLength;
      }
      serviceOffset = -1;
      serviceLength = 0;
      if ((flags & EventCodec.HAS_SERVICE) != 0) {
        serviceLength = string();
        serviceOffset = in.getPosition() - serviceLength;
      }
      messageLength = string();
      messageOffset = in.getPosition() - messageLength;
      fieldCount = 0;
      if ((flags & EventCodec.HAS_FIELDS) != 0) {
        int n = count();
        ensureFields(n);
        for (int i = 0; i < n; i++) {
          nameLengths[i] = string();
          nameOffsets[i] = in.getPosition() - nameLengths[i];
          readValue(i);
        }
        fieldCount = n;
      }
      tagCount = 0;
      if ((flags & EventCodec.HAS_TAGS) != 0) {
        int n = count();
        if (tagOffsets.length < n) {
          tagOffsets = new int[n];
          tagLengths = new int[n];
        }
        for (int i = 0; i < n; i++) {
          tagLengths[i] = string();
          tagOffsets[i] = in.getPosition() - tagLengths[i];
        }
        tagCount = n;
      }
      if (in.getPosition() != value.length) {
        throw new CorruptEventException("event value has " + (value.length - in.getPosition()) + " trailing bytes");
      }
      return this;
    } catch (CorruptEventException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorruptEventException("cannot decode event value: " + e, e);
    }
  }

  private void readValue(int i) {
    byte type = in.readByte();
    if (type < 0 || type >= KINDS.length) {
      throw new CorruptEventException("unknown field type " + type);
    }
    Kind kind = KINDS[type];
    kinds[i] = kind;
    switch (kind) {
      case STRING -> {
        int length = string();
        valueOffsets[i] = in.getPosition() - length;
        values[i] = length;
      }
      case LONG -> values[i] = zlong(in);
      case DOUBLE -> values[i] = in.readLong();
      case TRUE, FALSE -> values[i] = 0;
      case LIST -> {
        valueOffsets[i] = in.getPosition();
        int n = count();
        values[i] = n;
        for (int k = 0; k < n; k++) {
          skipScalar();
        }
      }
    }
  }

  private void skipScalar() {
    byte type = in.readByte();
    switch (type) {
      case EventCodec.T_STRING -> string();
      case EventCodec.T_LONG -> zlong(in);
      case EventCodec.T_DOUBLE -> in.readLong();
      case EventCodec.T_TRUE, EventCodec.T_FALSE -> { }
      case EventCodec.T_LIST -> throw new CorruptEventException("nested list in field value");
      default -> throw new CorruptEventException("unknown field type " + type);
    }
  }

  /** A zig-zag vlong; reading a byte array cannot fail with an IOException. */
  private static long zlong(ByteArrayDataInput input) {
    try {
      return input.readZLong();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Skips a string, checking it lies inside the value; returns its byte length. */
  private int string() {
    int length = in.readVInt();
    if (length < 0 || length > bytes.length - in.getPosition()) {
      throw new CorruptEventException("string of " + length + " bytes past the end of the event value");
    }
    in.skipBytes(length);
    return length;
  }

  private int count() {
    int n = in.readVInt();
    // every element takes at least one byte
    if (n < 0 || n > bytes.length - in.getPosition()) {
      throw new CorruptEventException("count of " + n + " past the end of the event value");
    }
    return n;
  }

  private void ensureFields(int n) {
    if (nameOffsets.length < n) {
      int c = Math.max(n, nameOffsets.length * 2);
      nameOffsets = Arrays.copyOf(nameOffsets, c);
      nameLengths = Arrays.copyOf(nameLengths, c);
      kinds = Arrays.copyOf(kinds, c);
      valueOffsets = Arrays.copyOf(valueOffsets, c);
      values = Arrays.copyOf(values, c);
    }
  }

  /** The value last read; every offset refers to it. */
  public byte[] bytes() {
    return bytes;
  }

  /** Received time minus event time, in nanoseconds. */
  public long receivedDelta() {
    return receivedDelta;
  }

  public Severity level() {
    return level;
  }

  public Facility facility() {
    return facility;
  }

  /** Offset of the host's UTF-8, or -1 when the event has no host. */
  public int hostOffset() {
    return hostOffset;
  }

  public int hostLength() {
    return hostLength;
  }

  /** Offset of the service's UTF-8, or -1 when the event has no service. */
  public int serviceOffset() {
    return serviceOffset;
  }

  public int serviceLength() {
    return serviceLength;
  }

  public int messageOffset() {
    return messageOffset;
  }

  public int messageLength() {
    return messageLength;
  }

  public int fieldCount() {
    return fieldCount;
  }

  public int nameOffset(int field) {
    return nameOffsets[field];
  }

  public int nameLength(int field) {
    return nameLengths[field];
  }

  public Kind kind(int field) {
    return kinds[field];
  }

  /** Offset of a {@link Kind#STRING} value's UTF-8. */
  public int stringOffset(int field) {
    return valueOffsets[field];
  }

  /** Byte length of a {@link Kind#STRING} value. */
  public int stringLength(int field) {
    return (int) values[field];
  }

  /** The value of a {@link Kind#LONG} field. */
  public long longValue(int field) {
    return values[field];
  }

  /** The value of a {@link Kind#DOUBLE} field. */
  public double doubleValue(int field) {
    return Double.longBitsToDouble(values[field]);
  }

  public int tagCount() {
    return tagCount;
  }

  public int tagOffset(int tag) {
    return tagOffsets[tag];
  }

  public int tagLength(int tag) {
    return tagLengths[tag];
  }

  /** The string at {@code offset}, {@code length} of {@link #bytes()}. */
  public String string(int offset, int length) {
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  /** A field's name as a String. */
  public String name(int field) {
    return string(nameOffsets[field], nameLengths[field]);
  }

  /** A field's value as the {@link FieldValue} {@link EventCodec#decode} gives. */
  public FieldValue fieldValue(int field) {
    return switch (kinds[field]) {
      case STRING -> new FieldValue.StringValue(string(valueOffsets[field], (int) values[field]));
      case LONG -> new FieldValue.LongValue(values[field]);
      case DOUBLE -> new FieldValue.DoubleValue(doubleValue(field));
      case TRUE -> FieldValue.BoolValue.TRUE;
      case FALSE -> FieldValue.BoolValue.FALSE;
      case LIST -> list(field);
    };
  }

  private FieldValue.ListValue list(int field) {
    ByteArrayDataInput list = new ByteArrayDataInput(bytes, valueOffsets[field], bytes.length - valueOffsets[field]);
    int n = list.readVInt();
    List<FieldValue> items = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      byte type = list.readByte();
      items.add(switch (type) {
        case EventCodec.T_STRING -> {
          int length = list.readVInt();
          String s = string(list.getPosition(), length);
          list.skipBytes(length);
          yield new FieldValue.StringValue(s);
        }
        case EventCodec.T_LONG -> new FieldValue.LongValue(zlong(list));
        case EventCodec.T_DOUBLE -> new FieldValue.DoubleValue(Double.longBitsToDouble(list.readLong()));
        case EventCodec.T_TRUE -> FieldValue.BoolValue.TRUE;
        case EventCodec.T_FALSE -> FieldValue.BoolValue.FALSE;
        default -> throw new CorruptEventException("unknown field type " + type); // checked by read
      });
    }
    return new FieldValue.ListValue(items);
  }
}
