package io.logd.index;

import io.logd.event.FieldValue;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexOptions;

/**
 * One day's dynamic field types: which {@link FieldType} each event field name is indexed as.
 *
 * <h2>Typing</h2>
 *
 * The first value a day sees for a name fixes the name's type for that day: a long is {@link
 * FieldType#LONG}, a double {@link FieldType#DOUBLE}, a boolean {@link FieldType#BOOL}, a string
 * {@link FieldType#IP} when it is an IP literal and {@link FieldType#KEYWORD} otherwise; a list is
 * typed by its first element. The well-known fields have fixed types and are never registered:
 * {@code message} is {@link FieldType#TEXT}; {@code host}, {@code service}, {@code level}, {@code
 * facility} and {@code tags} are {@link FieldType#KEYWORD}.
 *
 * <h2>Later values of another type</h2>
 *
 * A type conflict never rejects an event. Values are coerced when nothing is lost, and otherwise
 * go to a <em>shadow</em> field:
 *
 * <ul>
 *   <li>KEYWORD takes every value as its text ({@code 500} becomes {@code "500"}).
 *   <li>LONG takes integral doubles and strings that are integers; a fractional double (or a
 *       decimal string) goes to the DOUBLE shadow {@code _f64.<name>}.
 *   <li>DOUBLE takes longs and decimal strings.
 *   <li>BOOL takes the strings {@code true}/{@code false} in any case; IP takes strings that are IP
 *       literals.
 *   <li>Anything else (e.g. {@code "abc"} for a LONG field) goes to the KEYWORD shadow {@code
 *       _str.<name>}.
 * </ul>
 *
 * Queries on a field also search its shadows where that makes sense (see {@code
 * io.logd.query.LogQueryParser}); {@link #hasStringShadow} and {@link #hasDoubleShadow} tell
 * whether a day has any.
 *
 * <h2>Lucene field names</h2>
 *
 * Names that start with {@code _} followed by another character than {@code _} are reserved for
 * logd ({@code _tenant}, {@code _time}, {@code _seq}, {@code _str.*}, {@code _f64.*}). An event
 * field whose name starts with {@code _} is indexed under its name with one more {@code _} in
 * front ({@code _id} is indexed as {@code __id}), so it can never collide with a reserved name;
 * queries name it as the event does ({@code _id:abc}). See {@link #indexName(String)}.
 *
 * <h2>Caps</h2>
 *
 * At most {@link Limits#maxFieldsPerEvent()} fields of one event and {@link
 * Limits#maxFieldsPerDay()} distinct names per day are indexed; at most {@value
 * #MAX_VALUES_PER_FIELD} values of one field per event; names must be 1..{@value #MAX_NAME_CHARS}
 * chars. Past a cap the field stays in the stored event but is not indexed, and {@link
 * #counters()} counts it.
 *
 * <h2>Persistence</h2>
 *
 * {@link #snapshot()} gives one entry per registered name, {@code name -> "long"} or with shadows
 * {@code "long,f64,str"}; {@link #restore} reads it back. Take the snapshot after the last
 * document of a commit was added, on the indexing thread or after it (e.g. right before {@code
 * IndexWriter.commit()}), so the commit never holds a field the stored schema lacks. {@link
 * #reconcile(FieldInfos)} repairs a schema from an index's field infos if that ever happened.
 *
 * <p>Thread-safe: lookups are lock-free; the first registration of a name takes a lock.
 */
public final class FieldSchema {
  /** Longest field name that is indexed, in chars. */
  public static final int MAX_NAME_CHARS = 256;
  /** Most values of one field indexed per event. */
  public static final int MAX_VALUES_PER_FIELD = 256;

  /** Prefix of the KEYWORD shadow that holds values a typed field cannot. */
  public static final String STRING_SHADOW_PREFIX = "_str.";
  /** Prefix of the DOUBLE shadow that holds fractional values of a LONG field. */
  public static final String DOUBLE_SHADOW_PREFIX = "_f64.";

  static final Map<String, FieldType> BUILTIN =
      Map.of(
          DocumentMapper.MESSAGE, FieldType.TEXT,
          DocumentMapper.HOST, FieldType.KEYWORD,
          DocumentMapper.SERVICE, FieldType.KEYWORD,
          DocumentMapper.LEVEL, FieldType.KEYWORD,
          DocumentMapper.FACILITY, FieldType.KEYWORD,
          DocumentMapper.TAGS, FieldType.KEYWORD);

  private static final String STR_FLAG = "str";
  private static final String F64_FLAG = "f64";

  /**
   * Field caps.
   *
   * @param maxFieldsPerEvent fields of one event that are indexed (the well-known fields are not
   *     counted, an event field named like one is)
   * @param maxFieldsPerDay distinct event field names one day indexes
   */
  public record Limits(int maxFieldsPerEvent, int maxFieldsPerDay) {
    public static final Limits DEFAULTS = new Limits(256, 2000);

    public Limits {
      if (maxFieldsPerEvent < 0 || maxFieldsPerDay < 0) {
        throw new IllegalArgumentException("field caps must not be negative");
      }
    }
  }

  /**
   * What did not go in as given, counted since this schema object was made (not persisted).
   *
   * @param fieldsOverEventCap event fields beyond {@link Limits#maxFieldsPerEvent()}
   * @param fieldsOverDayCap event fields not indexed because their name was new when the day
   *     already had {@link Limits#maxFieldsPerDay()} names, or was empty or too long
   * @param valuesOverFieldCap values of a multi-valued field beyond {@value #MAX_VALUES_PER_FIELD}
   * @param conflicts values indexed into a shadow field because of a type conflict
   * @param truncated keyword values cut to {@link DocumentMapper#MAX_KEYWORD_BYTES}
   */
  public record Counters(
      long fieldsOverEventCap, long fieldsOverDayCap, long valuesOverFieldCap, long conflicts, long truncated) {
    /** Fields kept out of the index by a cap. */
    public long overflow() {
      return fieldsOverEventCap + fieldsOverDayCap;
    }
  }

  /** A registered name: its type and Lucene names. Shared by all threads; flags only go up. */
  static final class Entry {
    static final int STR = 1;
    static final int F64 = 2;

    final String name;
    final FieldType type;
    final String indexName;
    final String stringShadow;
    final String doubleShadow;
    private volatile int shadows;

    Entry(String name, FieldType type) {
      this.name = name;
      this.type = type;
      this.indexName = indexName(name);
      this.stringShadow = stringShadow(name);
      this.doubleShadow = doubleShadow(name);
    }

    void mark(int flag) {
      if ((shadows & flag) == 0) {
        synchronized (this) {
          shadows |= flag;
        }
      }
    }

    boolean has(int flag) {
      return (shadows & flag) != 0;
    }
  }

  private final Limits limits;
  private final ConcurrentHashMap<String, Entry> fields = new ConcurrentHashMap<>();
  private final LongAdder overEventCap = new LongAdder();
  private final LongAdder overDayCap = new LongAdder();
  private final LongAdder overValueCap = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder truncated = new LongAdder();

  public FieldSchema(Limits limits) {
    this.limits = limits;
  }

  /** A schema with no fields and the default caps, e.g. to check a query's syntax. */
  public static FieldSchema empty() {
    return new FieldSchema(Limits.DEFAULTS);
  }

  public Limits limits() {
    return limits;
  }

  /** The type of a field on this day, the well-known fields included; null when unknown. */
  public FieldType typeOf(String name) {
    FieldType builtin = BUILTIN.get(name);
    if (builtin != null) {
      return builtin;
    }
    Entry e = fields.get(name);
    return e == null ? null : e.type;
  }

  /** True when some value of {@code name} went to its KEYWORD shadow on this day. */
  public boolean hasStringShadow(String name) {
    Entry e = fields.get(name);
    return e != null && e.has(Entry.STR);
  }

  /** True when some value of {@code name} went to its DOUBLE shadow on this day. */
  public boolean hasDoubleShadow(String name) {
    Entry e = fields.get(name);
    return e != null && e.has(Entry.F64);
  }

  /** Every field name of this day with its type, the well-known fields included, sorted by name. */
  public Map<String, FieldType> fields() {
    Map<String, FieldType> out = new TreeMap<>(BUILTIN);
    fields.forEach((name, e) -> out.put(name, e.type));
    return Collections.unmodifiableMap(out);
  }

  /** Number of registered (dynamic) field names. */
  public int size() {
    return fields.size();
  }

  public Counters counters() {
    return new Counters(overEventCap.sum(), overDayCap.sum(), overValueCap.sum(), conflicts.sum(), truncated.sum());
  }

  /**
   * The Lucene field an event field is indexed under: the name itself, or with one more leading
   * {@code _} when it starts with {@code _} (reserved names start with a single {@code _}).
   */
  public static String indexName(String name) {
    return !name.isEmpty() && name.charAt(0) == '_' ? "_" + name : name;
  }

  /** The Lucene field of {@code name}'s KEYWORD shadow: {@code _str.<name>}. */
  public static String stringShadow(String name) {
    return STRING_SHADOW_PREFIX + name;
  }

  /** The Lucene field of {@code name}'s DOUBLE shadow: {@code _f64.<name>}. */
  public static String doubleShadow(String name) {
    return DOUBLE_SHADOW_PREFIX + name;
  }

  /** The registered entry for a dynamic name, or null. */
  Entry entry(String name) {
    return fields.get(name);
  }

  /**
   * The entry for an event field, registering the name with the type of {@code value} when the day
   * has not seen it. Null, and counted, when the name is invalid or the day's cap is reached; null
   * for an empty list. Never called for the well-known names.
   */
  Entry register(String name, FieldValue value) {
    Entry e = fields.get(name);
    if (e != null) {
      return e;
    }
    FieldType type = typeOfValue(value);
    if (type == null) {
      return null;
    }
    if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
      overDayCap.increment();
      return null;
    }
    synchronized (this) {
      e = fields.get(name);
      if (e == null) {
        if (fields.size() >= limits.maxFieldsPerDay()) {
          overDayCap.increment();
          return null;
        }
        e = new Entry(name, type);
        fields.put(name, e);
      }
      return e;
    }
  }

  static FieldType typeOfValue(FieldValue v) {
    return switch (v) {
      case FieldValue.StringValue s -> Literals.isIp(s.value()) ? FieldType.IP : FieldType.KEYWORD;
      case FieldValue.LongValue l -> FieldType.LONG;
      case FieldValue.DoubleValue d -> FieldType.DOUBLE;
      case FieldValue.BoolValue b -> FieldType.BOOL;
      case FieldValue.ListValue list -> list.values().isEmpty() ? null : typeOfValue(list.values().get(0));
    };
  }

  void countOverEventCap(int n) {
    overEventCap.add(n);
  }

  void countOverValueCap(int n) {
    overValueCap.add(n);
  }

  void countConflict() {
    conflicts.increment();
  }

  void countTruncated() {
    truncated.increment();
  }

  /**
   * The registered names and types as user-data entries: {@code name -> type label}, followed by
   * {@code ,f64} and/or {@code ,str} when the name has those shadows. The well-known fields are
   * not included. The returned map is a copy.
   */
  public Map<String, String> snapshot() {
    Map<String, String> out = new HashMap<>(fields.size() * 2);
    fields.forEach((name, e) -> {
      String v = e.type.label();
      if (e.has(Entry.F64)) {
        v += "," + F64_FLAG;
      }
      if (e.has(Entry.STR)) {
        v += "," + STR_FLAG;
      }
      out.put(name, v);
    });
    return out;
  }

  /**
   * A schema from {@link #snapshot()} entries. Restored names are kept even beyond {@code
   * limits}; the caps only stop new names. Entries that do not parse are skipped (the index's
   * field infos can fill them back in with {@link #reconcile(FieldInfos)}).
   */
  public static FieldSchema restore(Map<String, String> entries, Limits limits) {
    FieldSchema s = new FieldSchema(limits);
    entries.forEach((name, value) -> {
      if (BUILTIN.containsKey(name) || name.isEmpty()) {
        return;
      }
      String[] parts = value.split(",");
      FieldType type = FieldType.fromLabel(parts[0]);
      if (type == null) {
        return;
      }
      Entry e = new Entry(name, type);
      for (int i = 1; i < parts.length; i++) {
        if (parts[i].equals(STR_FLAG)) {
          e.mark(Entry.STR);
        } else if (parts[i].equals(F64_FLAG)) {
          e.mark(Entry.F64);
        }
      }
      s.fields.put(name, e);
    });
    return s;
  }

  /**
   * Adds the event fields an index holds but this schema lacks, with the type their Lucene shape
   * implies (16-byte points: IP; 8-byte points: LONG, as a DOUBLE field looks the same; terms or
   * sorted-set doc values: KEYWORD), and the shadow flags. After this, no new value can be given a
   * type the index would refuse. Caps do not apply.
   */
  public void reconcile(FieldInfos infos) {
    synchronized (this) {
      for (FieldInfo fi : infos) {
        String lucene = fi.name;
        if (lucene.isEmpty() || BUILTIN.containsKey(lucene)) {
          continue;
        }
        if (lucene.charAt(0) == '_' && !lucene.startsWith("__")) {
          continue; // reserved or a shadow: handled below
        }
        String name = lucene.startsWith("__") ? lucene.substring(1) : lucene;
        if (fields.containsKey(name)) {
          continue;
        }
        FieldType type;
        if (fi.getPointDimensionCount() > 0) {
          type = fi.getPointNumBytes() == Literals.IP_BYTES ? FieldType.IP : FieldType.LONG;
        } else if (fi.getDocValuesType() == DocValuesType.SORTED_SET || fi.getIndexOptions() != IndexOptions.NONE) {
          type = fi.getIndexOptions().compareTo(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS) >= 0
              ? FieldType.TEXT
              : FieldType.KEYWORD;
        } else {
          continue;
        }
        fields.put(name, new Entry(name, type));
      }
      for (FieldInfo fi : infos) {
        String lucene = fi.name;
        if (lucene.startsWith(STRING_SHADOW_PREFIX)) {
          Entry e = fields.get(lucene.substring(STRING_SHADOW_PREFIX.length()));
          if (e != null) {
            e.mark(Entry.STR);
          }
        } else if (lucene.startsWith(DOUBLE_SHADOW_PREFIX)) {
          Entry e = fields.get(lucene.substring(DOUBLE_SHADOW_PREFIX.length()));
          if (e != null) {
            e.mark(Entry.F64);
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return "FieldSchema" + snapshot();
  }
}
