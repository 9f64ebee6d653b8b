package io.logd.event;

import java.util.List;
import java.util.Objects;

/**
 * A typed value of an event field. Scalars are strings, 64-bit integers, doubles and booleans; an
 * array of scalars stays multi-valued as a {@link ListValue}. Nested objects never reach this type:
 * they are flattened into dotted names on input.
 */
public sealed interface FieldValue
    permits FieldValue.StringValue, FieldValue.LongValue, FieldValue.DoubleValue, FieldValue.BoolValue,
        FieldValue.ListValue {

  /** The value as JSON-free plain text, as it is shown in tables and matched by keyword terms. */
  String asText();

  static FieldValue of(String value) {
    return new StringValue(value);
  }

  static FieldValue of(long value) {
    return new LongValue(value);
  }

  static FieldValue of(double value) {
    return new DoubleValue(value);
  }

  static FieldValue of(boolean value) {
    return value ? BoolValue.TRUE : BoolValue.FALSE;
  }

  record StringValue(String value) implements FieldValue {
    public StringValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String asText() {
      return value;
    }
  }

  record LongValue(long value) implements FieldValue {
    @Override
    public String asText() {
      return Long.toString(value);
    }
  }

  record DoubleValue(double value) implements FieldValue {
    @Override
    public String asText() {
      return Double.toString(value);
    }
  }

  record BoolValue(boolean value) implements FieldValue {
    public static final BoolValue TRUE = new BoolValue(true);
    public static final BoolValue FALSE = new BoolValue(false);

    @Override
    public String asText() {
      return Boolean.toString(value);
    }
  }

  /** A multi-valued field; elements are scalars (never another list). */
  record ListValue(List<FieldValue> values) implements FieldValue {
    public ListValue {
      values = List.copyOf(values);
      for (FieldValue v : values) {
        if (v instanceof ListValue) {
          throw new IllegalArgumentException("nested lists are not field values");
        }
      }
    }

    @Override
    public String asText() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(values.get(i).asText());
      }
      return sb.toString();
    }
  }
}
