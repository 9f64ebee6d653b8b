package io.logd.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.EventId;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

class FieldSchemaTest {
  @Test
  void firstValueOfTheDayFixesTheType() {
    FieldSchema s = FieldSchema.empty();
    assertEquals(FieldType.LONG, s.register("status", FieldValue.of(200)).type);
    assertEquals(FieldType.LONG, s.register("status", FieldValue.of("abc")).type, "first type wins");
    assertEquals(FieldType.DOUBLE, s.register("request_time", FieldValue.of(0.25)).type);
    assertEquals(FieldType.BOOL, s.register("ok", FieldValue.of(true)).type);
    assertEquals(FieldType.IP, s.register("client_ip", FieldValue.of("10.1.2.3")).type);
    assertEquals(FieldType.IP, s.register("peer", FieldValue.of("2001:db8::1")).type);
    assertEquals(FieldType.KEYWORD, s.register("path", FieldValue.of("/api")).type);
    assertEquals(FieldType.KEYWORD, s.register("ver", FieldValue.of("010.1.2.3")).type);
    assertEquals(FieldType.LONG, s.register("ports", new FieldValue.ListValue(List.of(FieldValue.of(80), FieldValue.of("x")))).type);
    assertNull(s.register("empty", new FieldValue.ListValue(List.of())), "an empty list does not type a field");
    assertNull(s.typeOf("empty"));
    assertEquals(FieldType.TEXT, s.typeOf("message"));
    assertEquals(FieldType.KEYWORD, s.typeOf("level"));
    assertNull(s.typeOf("nope"));
    assertEquals(8, s.size());
    assertEquals(FieldType.KEYWORD, s.fields().get("host"));
    assertEquals(FieldType.LONG, s.fields().get("status"));
  }

  @Test
  void reservedAndShadowNamesNeverCollide() {
    assertEquals("status", FieldSchema.indexName("status"));
    assertEquals("__time", FieldSchema.indexName("_time"));
    assertEquals("___x", FieldSchema.indexName("__x"));
    assertEquals("_str.status", FieldSchema.stringShadow("status"));
    assertEquals("_f64.latency", FieldSchema.doubleShadow("latency"));
    assertEquals("___str.status", FieldSchema.indexName("__str.status"));
    assertEquals("__str.status", FieldSchema.indexName("_str.status"), "a user field named like a shadow is escaped");
  }

  @Test
  void dayCapStopsNewNamesAndCountsThem() {
    FieldSchema s = new FieldSchema(new FieldSchema.Limits(256, 3));
    for (int i = 0; i < 5; i++) {
      FieldSchema.Entry e = s.register("f" + i, FieldValue.of(i));
      if (i < 3) {
        assertNotNull(e);
      } else {
        assertNull(e);
      }
    }
    assertNotNull(s.register("f1", FieldValue.of("x")), "known names are still indexed");
    assertNull(s.register("", FieldValue.of(1)));
    assertNull(s.register("n".repeat(FieldSchema.MAX_NAME_CHARS + 1), FieldValue.of(1)));
    assertEquals(4, s.counters().fieldsOverDayCap());
    assertEquals(4, s.counters().overflow());
    assertEquals(3, s.size());
  }

  @Test
  void concurrentRegistrationHonoursTheCapExactly() throws Exception {
    FieldSchema s = new FieldSchema(new FieldSchema.Limits(256, 2000));
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 5000; i++) {
          // every thread registers the same 5000 names, half of them as a different first type
          FieldValue v = (i + offset) % 2 == 0 ? FieldValue.of(i) : FieldValue.of("v" + i);
          s.register("field" + i, v);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertEquals(2000, s.size());
    assertEquals((long) threads * 5000 - threads * 2000L, s.counters().fieldsOverDayCap(),
        "every value of a name that did not get in is counted, and no registered value is");
    for (String name : s.fields().keySet()) {
      FieldType t = s.typeOf(name);
      assertSame(t, s.typeOf(name));
    }
  }

  @Test
  void snapshotRestoresTypesAndShadows() {
    FieldSchema s = FieldSchema.empty();
    s.register("status", FieldValue.of(200)).mark(FieldSchema.Entry.STR);
    s.register("latency", FieldValue.of(3)).mark(FieldSchema.Entry.F64);
    s.entry("latency").mark(FieldSchema.Entry.STR);
    s.register("client_ip", FieldValue.of("10.0.0.1"));
    s.register("odd,name\twith\nstuff", FieldValue.of(true));
    Map<String, String> snap = s.snapshot();
    assertEquals("long,str", snap.get("status"));
    assertEquals("long,f64,str", snap.get("latency"));
    assertEquals("ip", snap.get("client_ip"));
    FieldSchema r = FieldSchema.restore(snap, new FieldSchema.Limits(10, 1));
    assertEquals(s.fields(), r.fields());
    assertTrue(r.hasStringShadow("status"));
    assertFalse(r.hasDoubleShadow("status"));
    assertTrue(r.hasDoubleShadow("latency"));
    assertEquals(FieldType.BOOL, r.typeOf("odd,name\twith\nstuff"));
    assertNull(r.register("new", FieldValue.of(1)), "restored names count against the cap");
    FieldSchema lenient = FieldSchema.restore(Map.of("a", "long", "b", "nonsense", "host", "long"), FieldSchema.Limits.DEFAULTS);
    assertEquals(FieldType.LONG, lenient.typeOf("a"));
    assertNull(lenient.typeOf("b"));
    assertEquals(FieldType.KEYWORD, lenient.typeOf("host"), "well-known types cannot be overridden");
  }

  /** A schema that lost names (e.g. a snapshot older than the commit) is repaired from the index. */
  @Test
  void reconcileRecoversTypesFromTheIndex() throws Exception {
    FieldSchema original = FieldSchema.empty();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new LogAnalyzer()))) {
      DocumentMapper m = new DocumentMapper();
      LogEvent e1 = LogEvent.builder().timestampNanos(1).message("x")
          .field("status", 200).field("client_ip", "10.1.2.3").field("path", "/a").field("_id", "abc").build();
      LogEvent e2 = LogEvent.builder().timestampNanos(2).message("y").field("status", "oops").field("path", 5L).build();
      w.addDocument(m.map(1, new EventId(1, 1), e1, original));
      w.addDocument(m.map(1, new EventId(2, 2), e2, original));
      w.commit();
      try (DirectoryReader r = DirectoryReader.open(w)) {
        FieldSchema lost = FieldSchema.empty();
        lost.reconcile(FieldInfos.getMergedFieldInfos(r));
        assertEquals(FieldType.LONG, lost.typeOf("status"));
        assertTrue(lost.hasStringShadow("status"));
        assertEquals(FieldType.IP, lost.typeOf("client_ip"));
        assertEquals(FieldType.KEYWORD, lost.typeOf("path"));
        assertEquals(FieldType.KEYWORD, lost.typeOf("_id"));
        assertNull(lost.typeOf("__id"));
        assertEquals(original.fields(), lost.fields());
      }
    }
  }
}
