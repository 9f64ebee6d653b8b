package io.logd.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.EventId;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.query.LogQueryParser;
import io.logd.store.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

class DocumentMapperTest {
  /** A writer like a new day index's: insertion order, no index sort. */
  private static IndexWriter writer(ByteBuffersDirectory dir) throws Exception {
    return new IndexWriter(dir, new IndexWriterConfig(new LogAnalyzer()));
  }

  /** A writer like a day index of an earlier build: sorted newest first. */
  private static IndexWriter sortedWriter(ByteBuffersDirectory dir) throws Exception {
    return new IndexWriter(dir, new IndexWriterConfig(new LogAnalyzer()).setIndexSort(DocumentMapper.indexSort()));
  }

  /**
   * A new day index keeps {@code _time} as doc values with a skip index and no point; one of an
   * earlier build as a point plus doc values. Each layout is recognized, and its time filter
   * finds the same events.
   */
  @Test
  void eachLayoutKeepsTimeItsOwnWay() throws Exception {
    for (DocumentMapper.Layout layout : DocumentMapper.Layout.values()) {
      DocumentMapper m = new DocumentMapper();
      FieldSchema schema = FieldSchema.empty();
      try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
          IndexWriter w = layout == DocumentMapper.Layout.INSERTION_ORDER ? writer(dir) : sortedWriter(dir)) {
        for (int i = 0; i < 100; i++) {
          long time = 1_000_000_000L * i;
          w.addDocument(m.map(1, new EventId(time, i + 1), LogEvent.builder().timestampNanos(time).message("m").build(),
              schema, layout));
        }
        try (DirectoryReader r = DirectoryReader.open(w)) {
          assertEquals(layout, DocumentMapper.layoutOf(r));
          org.apache.lucene.index.FieldInfo time = r.leaves().get(0).reader().getFieldInfos().fieldInfo(DocumentMapper.TIME);
          boolean insertion = layout == DocumentMapper.Layout.INSERTION_ORDER;
          assertEquals(insertion ? 0 : 1, time.getPointDimensionCount());
          assertEquals(insertion ? org.apache.lucene.index.DocValuesSkipIndexType.RANGE
              : org.apache.lucene.index.DocValuesSkipIndexType.NONE, time.docValuesSkipIndexType());
          assertEquals(30, new IndexSearcher(r).count(DocumentMapper.timeRange(layout, 10_000_000_000L, 39_000_000_000L)));
        }
      }
    }
  }

  private static long count(IndexSearcher s, FieldSchema schema, String q) throws Exception {
    return s.count(new LogQueryParser().parse(q, schema));
  }

  /**
   * In a day index of an earlier build, random times, many equal: after merging, doc order is time
   * descending, then seq descending.
   */
  @Test
  void indexSortIsTimeThenSeqDescending() throws Exception {
    long seed = System.nanoTime();
    System.out.println("DocumentMapperTest.indexSortIsTimeThenSeqDescending seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    FieldSchema schema = FieldSchema.empty();
    DocumentMapper m = new DocumentMapper();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = sortedWriter(dir)) {
        assertEquals(DocumentMapper.indexSort(), w.getConfig().getIndexSort());
        for (int i = 1; i <= 3000; i++) {
          long time = 1_000_000_000L * rnd.nextInt(50);
          w.addDocument(m.map(1, new EventId(time, i), LogEvent.builder().timestampNanos(time).message("m " + i).build(), schema,
              DocumentMapper.Layout.SORTED_NEWEST_FIRST));
          if (i % 700 == 0) {
            w.flush();
          }
        }
        w.forceMerge(1);
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        LeafReader leaf = r.leaves().get(0).reader();
        assertEquals(DocumentMapper.indexSort(), leaf.getMetaData().sort());
        NumericDocValues time = leaf.getNumericDocValues(DocumentMapper.TIME);
        NumericDocValues seq = leaf.getNumericDocValues(DocumentMapper.SEQ);
        long prevTime = Long.MAX_VALUE;
        long prevSeq = Long.MAX_VALUE;
        for (int doc = 0; doc < leaf.maxDoc(); doc++) {
          assertTrue(time.advanceExact(doc) && seq.advanceExact(doc));
          assertTrue(time.longValue() < prevTime || (time.longValue() == prevTime && seq.longValue() < prevSeq),
              "seed=" + seed + " doc=" + doc);
          prevTime = time.longValue();
          prevSeq = seq.longValue();
        }
      }
    }
  }

  /** Oversized and odd content is cut or counted, never thrown. */
  @Test
  void neverThrowsOnHugeOrOddValues() throws Exception {
    FieldSchema schema = new FieldSchema(new FieldSchema.Limits(256, 2000));
    DocumentMapper m = new DocumentMapper();
    String huge = "x".repeat(100_000);
    String accents = "a" + "é".repeat(3000); // 6001 bytes: the cut must not split an 'é'
    List<FieldValue> manyValues = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      manyValues.add(FieldValue.of("v" + i));
    }
    LogEvent.Builder b = LogEvent.builder().timestampNanos(5).message("start " + "word ".repeat(300_000) + "end")
        .field("huge", huge).field("accents", accents).field("many", new FieldValue.ListValue(manyValues))
        .field("nan", Double.NaN).field("inf", Double.POSITIVE_INFINITY).field("n".repeat(300), "long name")
        .field("", "empty name");
    for (int i = 0; i < 300; i++) {
      b.field("f" + i, i);
    }
    LogEvent big = b.build();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = writer(dir)) {
        w.addDocument(m.map(1, new EventId(5, 1), big, schema));
      }
      FieldSchema.Counters c = schema.counters();
      assertEquals(big.fields().size() - 256, c.fieldsOverEventCap());
      assertEquals(2, c.fieldsOverDayCap(), "the 300-char and the empty name");
      assertEquals(300 - FieldSchema.MAX_VALUES_PER_FIELD, c.valuesOverFieldCap());
      assertEquals(2, c.truncated());
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        IndexSearcher s = new IndexSearcher(r);
        assertEquals(1, s.count(new TermQuery(new Term("huge", DocumentMapper.keywordTerm(huge)))));
        assertEquals(1, count(s, schema, "\"start word word\""));
        assertEquals(1, count(s, schema, "many:v0"));
        assertEquals(1, count(s, schema, "many:v255"));
        assertEquals(0, count(s, schema, "many:v256"));
        assertEquals(1, count(s, schema, "nan:*"));
        SortedSetDocValues dv = r.leaves().get(0).reader().getSortedSetDocValues("accents");
        assertTrue(dv.advanceExact(0));
        BytesRef v = dv.lookupOrd(dv.nextOrd());
        assertTrue(v.length <= DocumentMapper.MAX_KEYWORD_BYTES);
        assertEquals(accents.substring(0, (v.length - 1) / 2 + 1), v.utf8ToString());
        assertEquals(1, count(s, schema, "accents:\"" + accents + "\""), "queries cut values the same way");
      }
    }
  }

  /**
   * The mapper encodes a keyword through its own scratch chars; queries use the static {@link
   * DocumentMapper#keywordTerm}. Both must give the same bytes for any text: unpaired surrogates,
   * pairs, and values cut at the keyword cap.
   */
  @Test
  void indexedKeywordsAreTheBytesQueriesLookFor() throws Exception {
    long seed = System.nanoTime();
    System.out.println("indexedKeywordsAreTheBytesQueriesLookFor seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    char[] alphabet = {'a', 'Z', '7', ' ', '\u00e9', '\u4e2d', '\ud83d', '\ude00', '\ud800', '\udfff', '"'};
    FieldSchema schema = new FieldSchema(new FieldSchema.Limits(256, 2000));
    DocumentMapper m = new DocumentMapper();
    List<String> values = new ArrayList<>();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = writer(dir)) {
        for (int i = 0; i < 200; i++) {
          int length = rnd.nextInt(4) == 0 ? 4000 + rnd.nextInt(200) : rnd.nextInt(40);
          StringBuilder sb = new StringBuilder(length);
          for (int j = 0; j < length; j++) {
            sb.append(alphabet[rnd.nextInt(alphabet.length)]);
          }
          values.add(sb.toString());
          LogEvent e = LogEvent.builder().timestampNanos(i).message("m").host(sb.toString()).field("k", sb.toString()).build();
          w.addDocument(m.map(1, new EventId(i, i), e, schema));
        }
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        LeafReader leaf = r.leaves().get(0).reader();
        for (String field : List.of(DocumentMapper.docValuesField("k", schema), DocumentMapper.HOST)) {
          SortedSetDocValues dv = leaf.getSortedSetDocValues(field);
          for (int i = 0; i < values.size(); i++) {
            assertTrue(dv.advanceExact(i));
            assertEquals(DocumentMapper.keywordTerm(values.get(i)), dv.lookupOrd(dv.nextOrd()),
                "seed " + seed + " value " + i + " of field " + field);
          }
        }
      }
    }
  }

  @Test
  void reservedAndWellKnownNamesInFields() throws Exception {
    FieldSchema schema = FieldSchema.empty();
    DocumentMapper m = new DocumentMapper();
    LogEvent e = LogEvent.builder().timestampNanos(42).host("h1").level(Severity.INFO).message("alpha first")
        .field("_time", "bogus").field("_seq", 5).field("_tenant", "x").field("_str.status", "user field")
        .field("host", "h2").field("level", "WARNING").field("message", "second beta").field("tags", "t1").build();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = writer(dir)) {
        w.addDocument(m.map(7, new EventId(42, 3), e, schema));
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        LeafReader leaf = r.leaves().get(0).reader();
        NumericDocValues time = leaf.getNumericDocValues(DocumentMapper.TIME);
        NumericDocValues seq = leaf.getNumericDocValues(DocumentMapper.SEQ);
        assertTrue(time.advanceExact(0) && seq.advanceExact(0));
        assertEquals(42, time.longValue());
        assertEquals(3, seq.longValue());
        IndexSearcher s = new IndexSearcher(r);
        assertEquals(1, s.count(org.apache.lucene.document.IntField.newExactQuery(DocumentMapper.TENANT, 7)));
        assertEquals(1, count(s, schema, "_time:bogus"));
        assertEquals(1, count(s, schema, "_seq:5"));
        assertEquals(1, count(s, schema, "_tenant:x"));
        assertEquals(1, count(s, schema, "_str.status:\"user field\""));
        assertEquals(1, count(s, schema, "host:h1 AND host:h2"));
        assertEquals(1, count(s, schema, "level:info AND level:warn"));
        assertEquals(1, count(s, schema, "tags:t1"));
        assertEquals(1, count(s, schema, "\"alpha first\" AND \"second beta\""));
        assertEquals(0, count(s, schema, "\"first second\""), "phrases do not span two values");
        assertFalse(schema.fields().containsKey("__time"));
      }
    }
  }

  /** One mapper reuses its document and fields: nothing of one event may leak into the next. */
  @Test
  void reuseDoesNotLeakBetweenEvents() throws Exception {
    FieldSchema schema = FieldSchema.empty();
    DocumentMapper m = new DocumentMapper();
    LogEvent first = LogEvent.builder().timestampNanos(1).message("one").host("a").tag("x").tag("y").tag("z")
        .field("only_first", 1).field("ip", "10.0.0.1").field("list", new FieldValue.ListValue(List.of(FieldValue.of(1), FieldValue.of(2)))).build();
    LogEvent second = LogEvent.builder().timestampNanos(2).message("two").tag("w")
        .field("ip", "10.0.0.2").field("list", new FieldValue.ListValue(List.of(FieldValue.of(3)))).build();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = writer(dir)) {
        Document d = m.map(1, new EventId(9, 9), second, schema);
        m.map(1, new EventId(9, 9), first, schema); // a document mapped but never added must not break the next
        assertTrue(d.getFields().size() > 0);
        w.addDocument(m.map(1, new EventId(1, 1), first, schema));
        w.addDocument(m.map(1, new EventId(2, 2), second, schema));
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        IndexSearcher s = new IndexSearcher(r);
        assertEquals(1, count(s, schema, "tags:x"));
        assertEquals(1, count(s, schema, "tags:w AND NOT tags:x"));
        assertEquals(1, count(s, schema, "only_first:*"));
        assertEquals(1, count(s, schema, "host:*"));
        assertEquals(1, count(s, schema, "ip:10.0.0.1 AND list:2"));
        assertEquals(1, count(s, schema, "ip:10.0.0.2 AND list:3 AND NOT list:1"));
        assertEquals(1, count(s, schema, "one AND NOT two"));
      }
    }
  }

  @Test
  void helpersForFacetsAndContext() {
    FieldSchema schema = FieldSchema.empty();
    schema.register("status", FieldValue.of(1));
    schema.register("_id", FieldValue.of("x"));
    assertEquals(FieldType.KEYWORD, DocumentMapper.facetType("host", schema));
    assertEquals(FieldType.LONG, DocumentMapper.facetType("status", schema));
    assertEquals(null, DocumentMapper.facetType("message", schema));
    assertEquals("__id", DocumentMapper.docValuesField("_id", schema));
    assertEquals("level", DocumentMapper.docValuesField("level", schema));
    assertEquals("2.5", DocumentMapper.numericText(FieldType.DOUBLE, org.apache.lucene.util.NumericUtils.doubleToSortableLong(2.5)));
    assertEquals("-3", DocumentMapper.numericText(FieldType.LONG, -3));
    assertEquals("host:\"web \\\"1\\\"\" AND NOT service:*",
        DocumentMapper.sameSourceQuery(LogEvent.builder().timestampNanos(1).host("web \"1\"").build()));
  }

  /**
   * The indexer maps events straight from their stored bytes. For any event that must give the
   * same document, and register the same names and counts in the schema, as mapping the decoded
   * event did: keywords, numbers, IPs, booleans, lists, conflicts and shadows, well-known and
   * reserved names, caps, cut keywords, non-ASCII and unpaired surrogates.
   */
  @Test
  void encodedEventsMapAsTheirDecodedForm() throws Exception {
    long seed = System.nanoTime();
    System.out.println("DocumentMapperTest.encodedEventsMapAsTheirDecodedForm seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    FieldSchema.Limits limits = new FieldSchema.Limits(12, 40);
    FieldSchema decodedSchema = new FieldSchema(limits);
    FieldSchema encodedSchema = new FieldSchema(limits);
    DocumentMapper decodedMapper = new DocumentMapper();
    DocumentMapper encodedMapper = new DocumentMapper();
    EventCodec codec = new EventCodec();
    for (int i = 0; i < 3000; i++) {
      LogEvent event = i == 0 // one name of each type first; the random events then conflict with them
          ? LogEvent.builder().timestampNanos(1).message("first").field("client_ip", "10.1.2.3").field("status", 200)
              .field("ratio", 0.5).field("ok", true).field("user", "ann").build()
          : randomEvent(rnd);
      byte[] value = codec.encode(event);
      EventId id = new EventId(event.timestampNanos(), i);
      DocumentMapper.Layout layout = rnd.nextInt(8) == 0 ? DocumentMapper.Layout.SORTED_NEWEST_FIRST
          : DocumentMapper.Layout.INSERTION_ORDER;
      List<String> expected = describe(decodedMapper.map(3, id, codec.decode(id.timeNanos(), value), decodedSchema, layout));
      List<String> actual = describe(encodedMapper.map(3, id, codec.read(value), encodedSchema, layout));
      assertEquals(expected, actual, "seed=" + seed + " event " + i + ": " + event);
    }
    assertEquals(decodedSchema.snapshot(), encodedSchema.snapshot(), "seed=" + seed);
    assertEquals(decodedSchema.counters(), encodedSchema.counters(), "seed=" + seed);
    assertTrue(decodedSchema.counters().truncated() > 0, "the events reach the keyword cut");
    assertTrue(decodedSchema.counters().conflicts() > 0, "the events have type conflicts");
    assertTrue(decodedSchema.snapshot().values().stream().map(v -> v.split(",")[0]).toList()
            .containsAll(List.of("keyword", "long", "double", "bool", "ip")),
        "seed=" + seed + " every type is seen: " + decodedSchema.snapshot());
  }

  private static final String[] LINES = {
    "203.0.113.7 - - [06/Dec/2026:08:00:01 +0000] \"GET /api/v1/users/42?x=1 HTTP/1.1\" 200 5123 \"-\" \"curl/8.5.0\"",
    "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - BOM'su root' failed for lonvick on /dev/pts/8",
    "<165>Aug 24 05:34:00 CST 1987 mymachine myproc[10]: %% It's time to make the do-nuts.  %%  Ingredients: Mix=OK",
    "Exception in thread \"main\" java.lang.IllegalStateException: pool exhausted at io.app.Pool.take(Pool.java:88)",
    "level=warn msg=\"connection refused\" addr=10.0.0.12:5432 retry_in=250ms",
    "用户登录失败 user=张三 ip=2001:db8::1 原因：密码错误",
    "deploy finished 🚀 in 12.5s, café ünïcødé",
    "",
  };
  private static final String[] NAMES = {
    "status", "bytes", "path", "client_ip", "ok", "ratio", "user", "n", "_id", "__x", "tags", "host", "level",
    "facility", "message", "service", "", "é", "x".repeat(300), "a.b.c", "list", "mixed"
  };

  private static LogEvent randomEvent(SplittableRandom rnd) {
    LogEvent.Builder b = LogEvent.builder().timestampNanos(rnd.nextLong(1, 1L << 60)).receivedNanos(rnd.nextLong(1, 1L << 60));
    String line = LINES[rnd.nextInt(LINES.length)];
    b.message(rnd.nextInt(20) == 0 ? line.repeat(60) : line);
    if (rnd.nextBoolean()) {
      b.host(randomText(rnd));
    }
    if (rnd.nextBoolean()) {
      b.service(randomText(rnd));
    }
    if (rnd.nextBoolean()) {
      b.level(Severity.values()[rnd.nextInt(Severity.values().length)]);
    }
    if (rnd.nextBoolean()) {
      b.facility(io.logd.event.Facility.values()[rnd.nextInt(io.logd.event.Facility.values().length)]);
    }
    for (int t = rnd.nextInt(3); t > 0; t--) {
      b.tag(randomText(rnd));
    }
    for (int f = rnd.nextInt(16); f > 0; f--) {
      String name = rnd.nextInt(6) == 0 ? "f" + rnd.nextInt(60) : NAMES[rnd.nextInt(NAMES.length)];
      if (rnd.nextInt(6) == 0) {
        List<FieldValue> items = new ArrayList<>();
        for (int k = rnd.nextInt(0, 25); k > 0; k--) {
          items.add(randomScalar(rnd));
        }
        b.field(name, new FieldValue.ListValue(items));
      } else {
        b.field(name, randomScalar(rnd));
      }
    }
    return b.build();
  }

  private static FieldValue randomScalar(SplittableRandom rnd) {
    return switch (rnd.nextInt(12)) {
      case 0 -> FieldValue.of(rnd.nextLong());
      case 1 -> FieldValue.of(rnd.nextInt(600));
      case 2 -> FieldValue.of(rnd.nextDouble() * 100);
      case 3 -> FieldValue.of((double) rnd.nextInt(100));
      case 4 -> FieldValue.of(rnd.nextBoolean());
      case 5 -> FieldValue.of(new String[] {
        "10.1.2.3", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "::ffff:10.0.0.1", "300.1.1.1", "1.2.3"}[rnd.nextInt(6)]);
      case 6 -> FieldValue.of(new String[] {"123", "-7", "1.5", "1e3", "true", "FALSE", "NaN"}[rnd.nextInt(7)]);
      default -> FieldValue.of(randomText(rnd));
    };
  }

  private static String randomText(SplittableRandom rnd) {
    char[] alphabet = {'a', 'Z', '7', ' ', '.', '\u00e9', '\u4e2d', '\ud83d', '\ude00', '\ud800', '"'};
    int length = rnd.nextInt(10) == 0 ? 4090 + rnd.nextInt(20) : rnd.nextInt(12);
    StringBuilder sb = new StringBuilder(length);
    for (int j = 0; j < length; j++) {
      sb.append(alphabet[rnd.nextInt(alphabet.length)]);
    }
    return sb.toString();
  }

  /** Every field of a document as text: name, how it is indexed, its value, and its tokens. */
  private static List<String> describe(Document doc) throws java.io.IOException {
    List<String> out = new ArrayList<>();
    for (org.apache.lucene.index.IndexableField f : doc.getFields()) {
      org.apache.lucene.index.IndexableFieldType t = f.fieldType();
      StringBuilder sb = new StringBuilder(f.name()).append(' ').append(t.indexOptions()).append(' ')
          .append(t.docValuesType()).append(' ').append(t.pointDimensionCount()).append(' ')
          .append(f.numericValue()).append(' ')
          .append(f.binaryValue() == null ? null : f.binaryValue().toString());
      if (t.tokenized() && t.indexOptions() != org.apache.lucene.index.IndexOptions.NONE) {
        try (org.apache.lucene.analysis.TokenStream ts = f.tokenStream(null, null)) {
          var term = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute.class);
          var inc = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute.class);
          ts.reset();
          while (ts.incrementToken()) {
            sb.append(' ').append(term.getBytesRef().utf8ToString()).append('+').append(inc.getPositionIncrement());
          }
          ts.end();
        }
      }
      out.add(sb.toString());
    }
    return out;
  }
}
