package io.logd.index;

import java.util.Locale;

/**
 * How a field is indexed in one day's index. Every event field gets a type the first time a day
 * sees its name (see {@link FieldSchema}); the well-known fields have fixed types.
 */
public enum FieldType {
  /** Exact string: one term per value plus sorted-set doc values. Not analyzed, case-sensitive. */
  KEYWORD,
  /** 64-bit integer: a long point plus sorted-numeric doc values. */
  LONG,
  /** 64-bit float: a double point plus sorted-numeric doc values (sortable long bits). */
  DOUBLE,
  /** Boolean, indexed as the keyword {@code true} or {@code false}. */
  BOOL,
  /** IPv4 or IPv6 address: a 16-byte InetAddressPoint plus sorted-set doc values of the text form. */
  IP,
  /** Full text analyzed by {@link LogAnalyzer}; only {@code message} has this type. */
  TEXT;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The lower-case name used in APIs and in the persisted schema, e.g. {@code long}. */
  public String label() {
    return label;
  }

  /** The type for a {@link #label()}, or null when the text names none. */
  public static FieldType fromLabel(String label) {
    for (FieldType t : values()) {
      if (t.label.equals(label)) {
        return t;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return label;
  }
}
