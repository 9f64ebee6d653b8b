package io.logd.index;

import io.logd.event.EventId;
import io.logd.event.Facility;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.store.EncodedEvent;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.lucene.util.NumericUtils;

/**
 * Turns a {@link LogEvent} into the Lucene document of one day's index. Documents hold indexed
 * fields and doc values only, never a stored copy of the event: a search reads {@link #TIME} and
 * {@link #SEQ} from doc values and fetches the event from the store by key.
 *
 * <h2>Fields</h2>
 *
 * <table>
 *   <caption>Lucene fields of a document</caption>
 *   <tr><th>field</th><th>indexed as</th></tr>
 *   <tr><td>{@code _tenant}</td><td>{@link IntField} (int point + sorted-numeric doc values);
 *       filter with {@code IntField.newExactQuery(TENANT, tenant)}</td></tr>
 *   <tr><td>{@code _time}</td><td>event time in ns: numeric doc values with a skip index (the
 *       span of times per block of doc ids); in {@link Layout#SORTED_NEWEST_FIRST} day indexes a
 *       long point + numeric doc values instead</td></tr>
 *   <tr><td>{@code _seq}</td><td>numeric doc values; {@code (_time, _seq)} is the event's key</td></tr>
 *   <tr><td>{@code message}</td><td>text analyzed by {@link LogAnalyzer}: docs, freqs, positions;
 *       no norms, no doc values</td></tr>
 *   <tr><td>{@code host}, {@code service}, {@code level}, {@code facility}, {@code tags}</td>
 *       <td>keyword: one term + sorted-set doc values per value; {@code level} and {@code facility}
 *       hold the canonical lower-case names</td></tr>
 *   <tr><td>event fields</td><td>by their {@link FieldSchema} type: KEYWORD and BOOL as keyword;
 *       LONG as long point + sorted-numeric doc values; DOUBLE as double point + sorted-numeric
 *       doc values of the sortable long bits; IP as a 16-byte InetAddressPoint + sorted-set doc
 *       values of the canonical text; every element of a list is a value</td></tr>
 * </table>
 *
 * Keyword values longer than {@value #MAX_KEYWORD_BYTES} UTF-8 bytes are indexed as their first
 * {@value #MAX_KEYWORD_BYTES} bytes (cut at a character boundary), both as the term and as the doc
 * value; {@link #keywordTerm(CharSequence)} applies the same cut to query values, so nothing ever
 * hits Lucene's 32766-byte term limit. An event field named like a well-known field is indexed into
 * that field ({@code fields.host} is searched by {@code host:}); one whose name starts with {@code
 * _} is renamed as {@link FieldSchema#indexName(String)} says, so reserved names never collide.
 *
 * <p>Not thread-safe: use one mapper per indexing thread. To keep garbage low a mapper reuses one
 * {@link Document} and its {@link Field} instances, so the document {@link #map} returns is only
 * valid until the next call: add it to the IndexWriter first. The {@link FieldSchema} may be shared
 * by threads.
 */
public final class DocumentMapper {
  public static final String TENANT = "_tenant";
  public static final String TIME = "_time";
  public static final String SEQ = "_seq";
  public static final String MESSAGE = "message";
  public static final String HOST = "host";
  public static final String SERVICE = "service";
  public static final String LEVEL = "level";
  public static final String FACILITY = "facility";
  public static final String TAGS = "tags";

  /** Longest keyword term and doc value, in UTF-8 bytes; longer values are cut. */
  public static final int MAX_KEYWORD_BYTES = 4096;

  /** Past this many cached field slots the cache is dropped (field names differ by day). */
  private static final int MAX_SLOTS = 16_384;

  private static final org.apache.lucene.document.FieldType TEXT_TYPE = new org.apache.lucene.document.FieldType();
  private static final org.apache.lucene.document.FieldType TIME_POINT_TYPE = new org.apache.lucene.document.FieldType();
  private static final org.apache.lucene.document.FieldType NUMBER_TYPE = new org.apache.lucene.document.FieldType();
  private static final org.apache.lucene.document.FieldType IP_POINT_TYPE = new org.apache.lucene.document.FieldType();

  static {
    TEXT_TYPE.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
    TEXT_TYPE.setTokenized(true);
    TEXT_TYPE.setOmitNorms(true); // results are ordered by time, never by score
    TEXT_TYPE.freeze();
    TIME_POINT_TYPE.setDimensions(1, Long.BYTES);
    TIME_POINT_TYPE.freeze();
    NUMBER_TYPE.setDimensions(1, Long.BYTES);
    NUMBER_TYPE.setDocValuesType(DocValuesType.SORTED_NUMERIC);
    NUMBER_TYPE.freeze();
    IP_POINT_TYPE.setDimensions(1, Literals.IP_BYTES);
    IP_POINT_TYPE.freeze();
  }

  private static final BytesRef TRUE = new BytesRef("true");
  private static final BytesRef FALSE = new BytesRef("false");
  private static final BytesRef[] SEVERITY_BYTES = new BytesRef[Severity.values().length];
  private static final BytesRef[] FACILITY_BYTES = new BytesRef[Facility.values().length];

  static {
    for (Severity s : Severity.values()) {
      SEVERITY_BYTES[s.ordinal()] = new BytesRef(s.canonicalName());
    }
    for (Facility f : Facility.values()) {
      FACILITY_BYTES[f.ordinal()] = new BytesRef(f.keyword());
    }
  }

  private static final Sort INDEX_SORT =
      new Sort(new SortField(TIME, SortField.Type.LONG, true), new SortField(SEQ, SortField.Type.LONG, true));

  private final Document doc = new Document();
  private final IntField tenantField = new IntField(TENANT, 0, Field.Store.NO);
  private final byte[] timeBytes = new byte[Long.BYTES];
  private final Field timePoint = new Field(TIME, new BytesRef(timeBytes), TIME_POINT_TYPE);
  private final NumericDocValuesField timeValue = new NumericDocValuesField(TIME, 0L);
  private final NumericDocValuesField timeWithSkipIndex = NumericDocValuesField.indexedField(TIME, 0L);
  private final NumericDocValuesField seqValue = new NumericDocValuesField(SEQ, 0L);
  private final TextValue message = new TextValue(MESSAGE);
  private final Map<String, Slot> slots = new HashMap<>();
  private final List<Slot> touched = new ArrayList<>();
  private final byte[] ip = new byte[Literals.IP_BYTES];
  private final Latin1View latin1 = new Latin1View();
  private final NameCache names = new NameCache();
  /** Scratch for {@link #copyChars}; at most {@link #MAX_KEYWORD_BYTES} long, as keywords are cut there. */
  private char[] chars = new char[256];
  private FieldSchema schema;

  public DocumentMapper() {}

  /**
   * How a day index orders its documents and keeps {@code _time}. Fixed when the day's index is
   * created: Lucene cannot change a field's indexing or the index sort later.
   */
  public enum Layout {
    /**
     * Documents in the order they are added (seq order, which is nearly time order), no index sort,
     * and {@code _time} as doc values with a skip index. Flushes and merges never re-sort, and a
     * merge policy that merges only neighbouring segments keeps the order across merges.
     */
    INSERTION_ORDER,
    /**
     * Day indexes created by earlier builds of logd: sorted by {@link #indexSort()}, with {@code
     * _time} as a long point plus doc values. Still read and written to, never created.
     */
    SORTED_NEWEST_FIRST
  }

  /** The index sort of {@link Layout#SORTED_NEWEST_FIRST} day indexes: time, then seq, descending. */
  public static Sort indexSort() {
    return INDEX_SORT;
  }

  /**
   * The layout of an open index, from how its segments keep {@code _time}; {@link
   * Layout#INSERTION_ORDER} when it has no documents yet.
   */
  public static Layout layoutOf(IndexReader reader) {
    for (LeafReaderContext leaf : reader.leaves()) {
      org.apache.lucene.index.FieldInfo time = leaf.reader().getFieldInfos().fieldInfo(TIME);
      if (time != null) {
        return time.getPointDimensionCount() > 0 ? Layout.SORTED_NEWEST_FIRST : Layout.INSERTION_ORDER;
      }
    }
    return Layout.INSERTION_ORDER;
  }

  /** A filter for {@code from <= _time <= to} in a day index of the given layout. */
  public static Query timeRange(Layout layout, long from, long to) {
    return layout == Layout.SORTED_NEWEST_FIRST
        ? LongPoint.newRangeQuery(TIME, from, to)
        : NumericDocValuesField.newSlowRangeQuery(TIME, from, to); // block-skipping by the skip index
  }

  /** {@link #map(int, EventId, LogEvent, FieldSchema, Layout)} for a new day index's layout. */
  public Document map(int tenant, EventId id, LogEvent event, FieldSchema schema) {
    return map(tenant, id, event, schema, Layout.INSERTION_ORDER);
  }

  /**
   * The document for one event, with values typed by (and names registered in) {@code schema},
   * for a day index of {@code layout}. Never throws for any event content. The document is reused
   * by the next call.
   */
  public Document map(int tenant, EventId id, LogEvent event, FieldSchema schema, Layout layout) {
    begin(tenant, id, schema, layout);

    if (!event.message().isEmpty()) {
      message.set(event.message());
      doc.add(message.field);
    }
    if (event.host() != null) {
      addKeyword(slot(HOST), event.host());
    }
    if (event.service() != null) {
      addKeyword(slot(SERVICE), event.service());
    }
    addLevelAndFacility(event.level(), event.facility());
    List<String> tags = event.tags();
    if (!tags.isEmpty()) {
      Slot s = slot(TAGS);
      for (int i = 0; i < tags.size(); i++) {
        if (tags.get(i) != null) {
          addKeyword(s, tags.get(i));
        }
      }
    }

    Map<String, FieldValue> fields = event.fields();
    if (!fields.isEmpty()) {
      int max = schema.limits().maxFieldsPerEvent();
      int count = 0;
      for (Map.Entry<String, FieldValue> f : fields.entrySet()) {
        if (count == max) {
          schema.countOverEventCap(fields.size() - count);
          break;
        }
        count++;
        String name = f.getKey();
        FieldValue value = f.getValue();
        if (name == null || value == null) {
          continue;
        }
        FieldType builtin = FieldSchema.BUILTIN.get(name);
        if (builtin != null) {
          addBuiltin(name, value);
          continue;
        }
        FieldSchema.Entry e = schema.register(name, value);
        if (e == null) {
          continue;
        }
        addValues(e, value);
      }
    }
    this.schema = null;
    return doc;
  }

  /**
   * The document for an event read in place from its stored value: the same document, registering
   * the same names in {@code schema}, as {@link #map(int, EventId, LogEvent, FieldSchema, Layout)}
   * gives for the decoded event, without making the event's Strings and maps. Keywords point into
   * the value's bytes, so the value must not change until the document is added. Never throws for
   * any event content.
   */
  public Document map(int tenant, EventId id, EncodedEvent event, FieldSchema schema, Layout layout) {
    begin(tenant, id, schema, layout);
    byte[] b = event.bytes();

    if (event.messageLength() > 0) {
      message.set(b, event.messageOffset(), event.messageLength());
      doc.add(message.field);
    }
    if (event.hostOffset() >= 0) {
      addKeyword(slot(HOST), b, event.hostOffset(), event.hostLength());
    }
    if (event.serviceOffset() >= 0) {
      addKeyword(slot(SERVICE), b, event.serviceOffset(), event.serviceLength());
    }
    addLevelAndFacility(event.level(), event.facility());
    if (event.tagCount() > 0) {
      Slot s = slot(TAGS);
      for (int i = 0; i < event.tagCount(); i++) {
        addKeyword(s, b, event.tagOffset(i), event.tagLength(i));
      }
    }

    int n = event.fieldCount();
    int max = schema.limits().maxFieldsPerEvent();
    for (int i = 0; i < n; i++) {
      if (i == max) {
        schema.countOverEventCap(n - i);
        break;
      }
      String name = names.get(b, event.nameOffset(i), event.nameLength(i));
      if (FieldSchema.BUILTIN.containsKey(name)) {
        addBuiltin(name, event.fieldValue(i));
        continue;
      }
      FieldSchema.Entry e = schema.entry(name);
      if (e == null) {
        e = schema.register(name, event.fieldValue(i));
        if (e == null) {
          continue;
        }
      }
      addValue(e, event, i);
    }
    this.schema = null;
    return doc;
  }

  private void begin(int tenant, EventId id, FieldSchema schema, Layout layout) {
    this.schema = schema;
    doc.clear();
    for (int i = 0; i < touched.size(); i++) {
      touched.get(i).n = 0;
    }
    touched.clear();
    if (slots.size() > MAX_SLOTS) {
      slots.clear();
    }

    tenantField.setIntValue(tenant);
    doc.add(tenantField);
    if (layout == Layout.INSERTION_ORDER) {
      timeWithSkipIndex.setLongValue(id.timeNanos());
      doc.add(timeWithSkipIndex);
    } else {
      NumericUtils.longToSortableBytes(id.timeNanos(), timeBytes, 0);
      doc.add(timePoint);
      timeValue.setLongValue(id.timeNanos());
      doc.add(timeValue);
    }
    seqValue.setLongValue(id.seq());
    doc.add(seqValue);
  }

  private void addLevelAndFacility(Severity level, Facility facility) {
    if (level != null) {
      addKeyword(slot(LEVEL), SEVERITY_BYTES[level.ordinal()]);
    }
    if (facility != null) {
      addKeyword(slot(FACILITY), FACILITY_BYTES[facility.ordinal()]);
    }
  }

  private void addBuiltin(String name, FieldValue value) {
    if (value instanceof FieldValue.ListValue list) {
      for (FieldValue v : list.values()) {
        addBuiltin(name, v);
      }
      return;
    }
    String text = value.asText();
    switch (name) {
      case MESSAGE -> addText(slot(MESSAGE), text);
      case LEVEL -> {
        Severity s = Severity.parse(text);
        if (s != null) {
          addKeyword(slot(LEVEL), SEVERITY_BYTES[s.ordinal()]);
        } else {
          addKeyword(slot(LEVEL), text);
        }
      }
      case FACILITY -> {
        Facility f = Facility.parse(text);
        if (f != null) {
          addKeyword(slot(FACILITY), FACILITY_BYTES[f.ordinal()]);
        } else {
          addKeyword(slot(FACILITY), text);
        }
      }
      default -> addKeyword(slot(name), text);
    }
  }

  /** Indexes one scalar of a registered field by the field's type, shadowing what does not fit. */
  private void addValue(FieldSchema.Entry e, FieldValue v) {
    switch (e.type) {
      case KEYWORD -> addKeyword(slot(e.indexName), v instanceof FieldValue.StringValue s ? s.value() : v.asText());
      case LONG -> {
        switch (v) {
          case FieldValue.LongValue l -> addNumber(slot(e.indexName), l.value());
          case FieldValue.DoubleValue d -> addDoubleToLongField(e, d.value());
          case FieldValue.StringValue s -> {
            Long l = Literals.parseLong(s.value());
            Double d = l == null ? Literals.parseDouble(s.value()) : null;
            if (l != null) {
              addNumber(slot(e.indexName), l);
            } else if (d != null) {
              addDoubleToLongField(e, d);
            } else {
              addStringShadow(e, s.value());
            }
          }
          default -> addStringShadow(e, v.asText());
        }
      }
      case DOUBLE -> {
        switch (v) {
          case FieldValue.DoubleValue d -> addNumber(slot(e.indexName), NumericUtils.doubleToSortableLong(d.value()));
          case FieldValue.LongValue l -> addNumber(slot(e.indexName), NumericUtils.doubleToSortableLong(l.value()));
          case FieldValue.StringValue s -> {
            Double d = Literals.parseDouble(s.value());
            if (d != null) {
              addNumber(slot(e.indexName), NumericUtils.doubleToSortableLong(d));
            } else {
              addStringShadow(e, s.value());
            }
          }
          default -> addStringShadow(e, v.asText());
        }
      }
      case BOOL -> {
        switch (v) {
          case FieldValue.BoolValue b -> addKeyword(slot(e.indexName), b.value() ? TRUE : FALSE);
          case FieldValue.StringValue s when s.value().equalsIgnoreCase("true") -> addKeyword(slot(e.indexName), TRUE);
          case FieldValue.StringValue s when s.value().equalsIgnoreCase("false") -> addKeyword(slot(e.indexName), FALSE);
          default -> addStringShadow(e, v.asText());
        }
      }
      case IP -> {
        int version = v instanceof FieldValue.StringValue s ? Literals.parseIp(s.value(), ip) : 0;
        if (version != 0) {
          String text = ((FieldValue.StringValue) v).value();
          addIp(slot(e.indexName), ip, version == 4 ? text : Literals.formatIp(ip));
        } else {
          addStringShadow(e, v.asText());
        }
      }
      case TEXT -> addText(slot(e.indexName), v.asText());
    }
  }

  /**
   * {@link #addValue(FieldSchema.Entry, FieldValue)} for field {@code i} of an encoded event: the
   * common pairs of value kind and field type straight from the bytes, the rest through the
   * decoded value.
   */
  private void addValue(FieldSchema.Entry e, EncodedEvent event, int i) {
    switch (event.kind(i)) {
      case STRING -> {
        if (e.type == FieldType.KEYWORD) {
          addKeyword(slot(e.indexName), event.bytes(), event.stringOffset(i), event.stringLength(i));
          return;
        }
        if (e.type == FieldType.IP) {
          latin1.set(event.bytes(), event.stringOffset(i), event.stringLength(i));
          int version = Literals.parseIp(latin1, 0, latin1.length(), ip);
          if (version == 4) { // the text is ASCII, and IPv4 text is indexed as written
            addIp(slot(e.indexName), ip, event.bytes(), event.stringOffset(i), event.stringLength(i));
            return;
          }
        }
      }
      case LONG -> {
        if (e.type == FieldType.LONG) {
          addNumber(slot(e.indexName), event.longValue(i));
          return;
        }
        if (e.type == FieldType.DOUBLE) {
          addNumber(slot(e.indexName), NumericUtils.doubleToSortableLong(event.longValue(i)));
          return;
        }
      }
      case DOUBLE -> {
        if (e.type == FieldType.DOUBLE) {
          addNumber(slot(e.indexName), NumericUtils.doubleToSortableLong(event.doubleValue(i)));
          return;
        }
        if (e.type == FieldType.LONG) {
          addDoubleToLongField(e, event.doubleValue(i));
          return;
        }
      }
      case TRUE, FALSE -> {
        if (e.type == FieldType.BOOL) {
          addKeyword(slot(e.indexName), event.kind(i) == EncodedEvent.Kind.TRUE ? TRUE : FALSE);
          return;
        }
      }
      case LIST -> { }
    }
    addValues(e, event.fieldValue(i));
  }

  /** Every element of a list, or the one scalar, by {@link #addValue(FieldSchema.Entry, FieldValue)}. */
  private void addValues(FieldSchema.Entry e, FieldValue value) {
    if (value instanceof FieldValue.ListValue list) {
      List<FieldValue> values = list.values();
      for (int i = 0; i < values.size(); i++) {
        addValue(e, values.get(i));
      }
    } else {
      addValue(e, value);
    }
  }

  private void addDoubleToLongField(FieldSchema.Entry e, double d) {
    if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
      addNumber(slot(e.indexName), (long) d);
    } else {
      e.mark(FieldSchema.Entry.F64);
      schema.countConflict();
      addNumber(slot(e.doubleShadow), NumericUtils.doubleToSortableLong(d));
    }
  }

  private void addStringShadow(FieldSchema.Entry e, String text) {
    e.mark(FieldSchema.Entry.STR);
    schema.countConflict();
    addKeyword(slot(e.stringShadow), text);
  }

  private Slot slot(String luceneName) {
    Slot s = slots.get(luceneName);
    if (s == null) {
      s = new Slot(luceneName);
      slots.put(luceneName, s);
    }
    return s;
  }

  /** The next value index of a slot, or -1 (counted) when the field already has its cap of values. */
  private int nextValue(Slot s) {
    if (s.n == 0) {
      touched.add(s);
    } else if (s.n >= FieldSchema.MAX_VALUES_PER_FIELD) {
      schema.countOverValueCap(1);
      return -1;
    }
    return s.n++;
  }

  private void addKeyword(Slot s, CharSequence text) {
    int i = nextValue(s);
    if (i < 0) {
      return;
    }
    BytesRefBuilder b = s.bytes(i);
    if (encodeKeyword(text, b, this)) {
      schema.countTruncated();
    }
    addKeywordField(s, i, b.get());
  }

  /**
   * A keyword value given as UTF-8, cut as {@link #encodeKeyword} cuts the same text. The field
   * points into {@code utf8}.
   */
  private void addKeyword(Slot s, byte[] utf8, int offset, int length) {
    int i = nextValue(s);
    if (i < 0) {
      return;
    }
    if (length > MAX_KEYWORD_BYTES) {
      length = MAX_KEYWORD_BYTES;
      while (length > 0 && (utf8[offset + length] & 0xC0) == 0x80) {
        length--; // the byte after the cut continues a character that started before it
      }
      schema.countTruncated();
    }
    BytesRef r = s.ref(i);
    r.bytes = utf8;
    r.offset = offset;
    r.length = length;
    addKeywordField(s, i, r);
  }

  private void addKeyword(Slot s, BytesRef constant) {
    int i = nextValue(s);
    if (i >= 0) {
      addKeywordField(s, i, constant);
    }
  }

  private void addKeywordField(Slot s, int i, BytesRef value) {
    if (s.keywords == null || s.keywords.length <= i) {
      s.keywords = grow(s.keywords, KeywordField[]::new, i);
    }
    KeywordField f = s.keywords[i];
    if (f == null) {
      f = new KeywordField(s.name, value, Field.Store.NO);
      s.keywords[i] = f;
    } else {
      f.setBytesValue(value);
    }
    doc.add(f);
  }

  private void addNumber(Slot s, long value) {
    int i = nextValue(s);
    if (i < 0) {
      return;
    }
    if (s.numbers == null || s.numbers.length <= i) {
      s.numbers = grow(s.numbers, NumberField[]::new, i);
    }
    NumberField f = s.numbers[i];
    if (f == null) {
      f = new NumberField(s.name);
      s.numbers[i] = f;
    }
    f.set(value);
    doc.add(f);
  }

  private void addIp(Slot s, byte[] address, String text) {
    int i = nextValue(s);
    if (i < 0) {
      return;
    }
    BytesRefBuilder b = s.bytes(i);
    copyChars(text, b);
    addIpFields(s, i, address, b.get());
  }

  /** An IP value whose text is {@code length} UTF-8 bytes at {@code offset}; the doc value points into them. */
  private void addIp(Slot s, byte[] address, byte[] text, int offset, int length) {
    int i = nextValue(s);
    if (i < 0) {
      return;
    }
    BytesRef r = s.ref(i);
    r.bytes = text;
    r.offset = offset;
    r.length = length;
    addIpFields(s, i, address, r);
  }

  private void addIpFields(Slot s, int i, byte[] address, BytesRef text) {
    if (s.ipPoints == null || s.ipPoints.length <= i) {
      s.ipPoints = grow(s.ipPoints, Field[]::new, i);
      s.ipTexts = grow(s.ipTexts, SortedSetDocValuesField[]::new, i);
    }
    Field point = s.ipPoints[i];
    SortedSetDocValuesField dv = s.ipTexts[i];
    if (point == null) {
      point = new Field(s.name, new BytesRef(new byte[Literals.IP_BYTES]), IP_POINT_TYPE);
      dv = new SortedSetDocValuesField(s.name, text);
      s.ipPoints[i] = point;
      s.ipTexts[i] = dv;
    }
    System.arraycopy(address, 0, point.binaryValue().bytes, 0, Literals.IP_BYTES);
    dv.setBytesValue(text);
    doc.add(point);
    doc.add(dv);
  }

  private void addText(Slot s, String text) {
    int i = nextValue(s);
    if (i < 0) {
      return;
    }
    if (s.texts == null || s.texts.length <= i) {
      s.texts = grow(s.texts, TextValue[]::new, i);
    }
    TextValue t = s.texts[i];
    if (t == null) {
      t = new TextValue(s.name);
      s.texts[i] = t;
    }
    t.set(text);
    doc.add(t.field);
  }

  private static <T> T[] grow(T[] a, java.util.function.IntFunction<T[]> make, int index) {
    T[] bigger = make.apply(Math.max(4, Math.max(index + 1, a == null ? 0 : a.length * 2)));
    if (a != null) {
      System.arraycopy(a, 0, bigger, 0, a.length);
    }
    return bigger;
  }

  /**
   * UTF-8 of a keyword value into {@code out}, cut to at most {@link #MAX_KEYWORD_BYTES} bytes at
   * a character boundary; returns whether it was cut.
   */
  static boolean encodeKeyword(CharSequence text, BytesRefBuilder out) {
    return encodeKeyword(text, out, null);
  }

  /** {@link #encodeKeyword(CharSequence, BytesRefBuilder)}, copying through the mapper's scratch chars when it has one. */
  private static boolean encodeKeyword(CharSequence text, BytesRefBuilder out, DocumentMapper mapper) {
    int chars = text.length();
    boolean cut = false;
    if (chars > MAX_KEYWORD_BYTES) {
      // every char is at least one byte, so chars past the cap cannot fit anyway
      chars = MAX_KEYWORD_BYTES;
      if (Character.isHighSurrogate(text.charAt(chars - 1))) {
        chars--;
      }
      cut = true;
    }
    if (mapper != null && text instanceof String string) {
      mapper.copyChars(string, chars, out);
    } else {
      out.copyChars(text, 0, chars);
    }
    if (out.length() > MAX_KEYWORD_BYTES) {
      int end = MAX_KEYWORD_BYTES;
      byte[] bytes = out.bytes();
      while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
        end--; // bytes[end] continues a character that started before it
      }
      out.setLength(end);
      cut = true;
    }
    return cut;
  }

  /**
   * UTF-8 of the first {@code length} chars of {@code text} into {@code out}, as {@link
   * BytesRefBuilder#copyChars(CharSequence, int, int)} writes it. The chars are copied out in bulk
   * first: the encoder reading a String through {@code charAt} was a third of mapping an event.
   */
  private void copyChars(String text, int length, BytesRefBuilder out) {
    if (chars.length < length) {
      chars = new char[org.apache.lucene.util.ArrayUtil.oversize(length, Character.BYTES)];
    }
    text.getChars(0, length, chars, 0);
    out.copyChars(chars, 0, length);
  }

  private void copyChars(String text, BytesRefBuilder out) {
    copyChars(text, text.length(), out);
  }

  /** The term a keyword value is indexed as (cut like indexed values): for exact queries. */
  public static BytesRef keywordTerm(CharSequence text) {
    BytesRefBuilder b = new BytesRefBuilder();
    encodeKeyword(text, b);
    return b.toBytesRef();
  }

  /**
   * The type facets and value lists should read a field as on a day: KEYWORD for the well-known
   * keyword fields, the schema's type for event fields; null for {@code message} (no doc values)
   * and for unknown names.
   */
  public static FieldType facetType(String field, FieldSchema schema) {
    FieldType t = schema.typeOf(field);
    return t == FieldType.TEXT ? null : t;
  }

  /**
   * The Lucene field holding a field's doc values: sorted-set for KEYWORD, BOOL and IP (text
   * values), sorted-numeric for LONG and DOUBLE (read DOUBLE with {@link #numericText}).
   */
  public static String docValuesField(String field, FieldSchema schema) {
    return FieldSchema.BUILTIN.containsKey(field) ? field : FieldSchema.indexName(field);
  }

  /** The text of a sorted-numeric doc value of a LONG or DOUBLE field. */
  public static String numericText(FieldType type, long value) {
    return type == FieldType.DOUBLE ? Double.toString(NumericUtils.sortableLongToDouble(value)) : Long.toString(value);
  }

  /**
   * A query (in {@code io.logd.query.LogQueryParser} syntax) for the events from the same host and
   * service as {@code event}; a missing host or service matches events that have none.
   */
  public static String sameSourceQuery(LogEvent event) {
    return exactClause(HOST, event.host()) + " AND " + exactClause(SERVICE, event.service());
  }

  private static String exactClause(String field, String value) {
    if (value == null) {
      return "NOT " + field + ":*";
    }
    StringBuilder sb = new StringBuilder(field.length() + value.length() + 4).append(field).append(":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }

  /** Reusable fields for one Lucene field name; {@code n} values are in use in the current document. */
  private static final class Slot {
    final String name;
    int n;
    BytesRefBuilder[] bytes;
    BytesRef[] refs;
    KeywordField[] keywords;
    NumberField[] numbers;
    Field[] ipPoints;
    SortedSetDocValuesField[] ipTexts;
    TextValue[] texts;

    Slot(String name) {
      this.name = name;
    }

    /** A reusable ref for value {@code i} that callers point at bytes they do not copy. */
    BytesRef ref(int i) {
      if (refs == null || refs.length <= i) {
        refs = grow(refs, BytesRef[]::new, i);
      }
      BytesRef r = refs[i];
      if (r == null) {
        r = new BytesRef();
        refs[i] = r;
      }
      return r;
    }

    BytesRefBuilder bytes(int i) {
      if (bytes == null || bytes.length <= i) {
        bytes = grow(bytes, BytesRefBuilder[]::new, i);
      }
      BytesRefBuilder b = bytes[i];
      if (b == null) {
        b = new BytesRefBuilder();
        bytes[i] = b;
      }
      return b;
    }
  }

  /** A long point plus sorted-numeric doc value in one field, encoded in place. */
  private static final class NumberField extends Field {
    private final BytesRef packed = new BytesRef(new byte[Long.BYTES]);

    NumberField(String name) {
      super(name, NUMBER_TYPE);
      fieldsData = 0L;
    }

    void set(long value) {
      fieldsData = value;
      NumericUtils.longToSortableBytes(value, packed.bytes, 0);
    }

    @Override
    public BytesRef binaryValue() {
      return packed;
    }
  }

  /** A text field with its own tokenizer, fed by a reusable reader. */
  private static final class TextValue {
    final LogTokenizer tokenizer = LogTokenizer.forIndexing();
    final TextReader reader = new TextReader();
    final Field field;

    TextValue(String name) {
      field = new Field(name, tokenizer, TEXT_TYPE);
    }

    void set(String text) {
      closeTokenizer();
      reader.set(text);
      tokenizer.setReader(reader);
    }

    /** Text given as UTF-8; ASCII is widened in place, anything else decoded as a String would be. */
    void set(byte[] utf8, int offset, int length) {
      closeTokenizer();
      if (!reader.setAscii(utf8, offset, length)) {
        reader.set(new String(utf8, offset, length, StandardCharsets.UTF_8));
      }
      tokenizer.setReader(reader);
    }

    /** The index closes the tokenizer (and so the reader) after use; close again in case a doc was dropped. */
    private void closeTokenizer() {
      try {
        tokenizer.close();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** A {@link java.io.StringReader} that can be pointed at another string, or at ASCII bytes. */
  private static final class TextReader extends Reader {
    private String text = "";
    /** The ASCII text widened to chars, when {@link #text} is null. */
    private char[] chars = new char[256];
    private int length;
    private int pos;

    void set(String s) {
      text = s;
      length = s.length();
      pos = 0;
    }

    /** Points the reader at ASCII bytes; false, and unchanged, when they are not all ASCII. */
    boolean setAscii(byte[] bytes, int offset, int n) {
      if (chars.length < n) {
        chars = new char[org.apache.lucene.util.ArrayUtil.oversize(n, Character.BYTES)];
      }
      char[] c = chars;
      for (int i = 0; i < n; i++) {
        byte b = bytes[offset + i];
        if (b < 0) {
          return false;
        }
        c[i] = (char) b;
      }
      text = null;
      length = n;
      pos = 0;
      return true;
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
      int left = length - pos;
      if (left <= 0) {
        return -1;
      }
      int n = Math.min(left, len);
      if (text != null) {
        text.getChars(pos, pos + n, cbuf, off);
      } else {
        System.arraycopy(chars, pos, cbuf, off, n);
      }
      pos += n;
      return n;
    }

    @Override
    public void close() {
      text = "";
      length = 0;
      if (chars.length > 1 << 16) {
        chars = new char[256]; // one huge message must not pin its buffer for the mapper's life
      }
    }
  }

  /** ASCII or Latin-1 bytes as chars, for parsers that take a CharSequence. */
  private static final class Latin1View implements CharSequence {
    private byte[] bytes;
    private int offset;
    private int length;

    void set(byte[] b, int off, int len) {
      bytes = b;
      offset = off;
      length = len;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public char charAt(int index) {
      return (char) (bytes[offset + index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new String(bytes, offset + start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
      return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Field names read from encoded events as Strings, made once per distinct name: a direct-mapped
   * cache keyed by the name's bytes, where a colliding name replaces the older one.
   */
  private static final class NameCache {
    private static final int SIZE = 512;
    private final byte[][] keys = new byte[SIZE][];
    private final String[] names = new String[SIZE];

    String get(byte[] b, int offset, int length) {
      int h = 0;
      for (int i = offset, end = offset + length; i < end; i++) {
        h = 31 * h + b[i];
      }
      int slot = (h ^ (h >>> 16)) & (SIZE - 1);
      byte[] key = keys[slot];
      if (key != null && Arrays.equals(key, 0, key.length, b, offset, offset + length)) {
        return names[slot];
      }
      String name = new String(b, offset, length, StandardCharsets.UTF_8);
      keys[slot] = Arrays.copyOfRange(b, offset, offset + length);
      names[slot] = name;
      return name;
    }
  }
}
