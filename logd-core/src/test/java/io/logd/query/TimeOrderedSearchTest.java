package io.logd.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.EventId;
import io.logd.index.DocumentMapper;
import io.logd.index.DocumentMapper.Layout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;

/**
 * Newest- and oldest-first pages by time blocks against brute force: random events added nearly in
 * time order (batches out of order, late events, clocks running ahead, a backfill of old ones), several segments of
 * several blocks, merges, deletions, two tenants, cursors, term and time filters; and the same on
 * day indexes sorted newest first, as earlier builds wrote them.
 */
class TimeOrderedSearchTest {
  static final long MS = 1_000_000L;
  static final long T0 = 1_795_000_000_000L * MS;

  record Doc(long time, long seq, String k, int tenant, boolean live) {}

  @Test
  void insertionOrderSegmentsMatchBruteForce() throws IOException {
    check(Layout.INSERTION_ORDER);
  }

  @Test
  void sortedSegmentsFromEarlierBuildsMatchBruteForce() throws IOException {
    check(Layout.SORTED_NEWEST_FIRST);
  }

  @Test
  void blocksBoundEveryDocOfTheirSegment() throws IOException {
    long seed = System.nanoTime();
    System.out.println("TimeOrderedSearchTest.blocksBoundEveryDocOfTheirSegment seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Doc> docs = new ArrayList<>();
    try (Directory dir = new ByteBuffersDirectory();
        IndexWriter w = new IndexWriter(dir, config(Layout.INSERTION_ORDER))) {
      while (docs.size() < 10_000) { // several blocks, even when every segment drawn is small
        addSegments(w, docs, rnd, Layout.INSERTION_ORDER);
      }
      w.forceMerge(1);
      try (DirectoryReader reader = DirectoryReader.open(w)) {
        LeafReaderContext leaf = reader.leaves().get(0);
        TimeBlocks blocks = TimeBlocks.of(leaf.reader());
        assertTrue(blocks.blocks > 1, "seed " + seed);
        assertTrue(TimeBlocks.of(leaf.reader()) == blocks, "cached per segment");
        // merged in add order: doc d is docs.get(d)
        long newest = Long.MIN_VALUE;
        for (int b = 0; b < blocks.blocks; b++) {
          assertEquals(b, blocks.blockOf(blocks.start(b)));
          assertEquals(newest, blocks.maxBefore(b), "seed " + seed + " block " + b);
          long oldestFrom = Long.MAX_VALUE;
          for (int d = blocks.start(b); d < docs.size(); d++) {
            oldestFrom = Math.min(oldestFrom, docs.get(d).time);
          }
          assertEquals(oldestFrom, blocks.minFrom(b), "seed " + seed + " block " + b);
          for (int d = blocks.start(b); d < blocks.start(b + 1); d++) {
            assertEquals(b, blocks.blockOf(d));
            assertTrue(docs.get(d).time >= blocks.min(b) && docs.get(d).time <= blocks.max(b));
            newest = Math.max(newest, docs.get(d).time);
          }
        }
        assertEquals(docs.size(), blocks.start(blocks.blocks));
      }
    }
  }

  @Test
  void aSortedIndexFromAnEarlierBuildHasNoBlocks() throws IOException {
    try (Directory dir = new ByteBuffersDirectory();
        IndexWriter w = new IndexWriter(dir, config(Layout.SORTED_NEWEST_FIRST))) {
      w.addDocument(document(new Doc(T0, 1, "a", 1, true), Layout.SORTED_NEWEST_FIRST));
      try (DirectoryReader reader = DirectoryReader.open(w)) {
        assertNull(TimeBlocks.of(reader.leaves().get(0).reader()));
        assertEquals(Layout.SORTED_NEWEST_FIRST, DocumentMapper.layoutOf(reader));
      }
    }
  }

  private static void check(Layout layout) throws IOException {
    long seed = System.nanoTime();
    System.out.println("TimeOrderedSearchTest seed " + seed + " layout " + layout);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Doc> docs = new ArrayList<>();
    try (Directory dir = new ByteBuffersDirectory(); IndexWriter w = new IndexWriter(dir, config(layout))) {
      addSegments(w, docs, rnd, layout);
      if (rnd.nextInt(3) == 0) {
        w.forceMerge(1 + rnd.nextInt(3));
      }
      for (int i = 0; i < docs.size() / 30; i++) {
        int victim = rnd.nextInt(docs.size());
        Doc d = docs.get(victim);
        w.deleteDocuments(new Term("seq", Long.toString(d.seq)));
        docs.set(victim, new Doc(d.time, d.seq, d.k, d.tenant, false));
      }
      w.commit();
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(layout, DocumentMapper.layoutOf(reader));
        IndexSearcher searcher = new IndexSearcher(reader);
        long span = docs.stream().mapToLong(Doc::time).max().orElseThrow() - T0;
        for (int round = 0; round < 200; round++) {
          boolean newestFirst = rnd.nextBoolean();
          int n = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 1 + rnd.nextInt(300);
          String k = switch (rnd.nextInt(4)) {
            case 0 -> "rare";
            case 1 -> "common";
            default -> null;
          };
          long from = rnd.nextBoolean() ? Long.MIN_VALUE : T0 + rnd.nextLong(span);
          long to = rnd.nextBoolean() ? Long.MAX_VALUE : T0 + rnd.nextLong(span) + 2 * MS;
          EventId after = null;
          if (rnd.nextInt(3) == 0) {
            Doc at = docs.get(rnd.nextInt(docs.size()));
            after = new EventId(at.time, rnd.nextInt(4) == 0 ? at.seq + 1 : at.seq);
          }
          long f = from;
          long t = to;
          EventId a = after;
          Comparator<Doc> order = Comparator.comparingLong(Doc::time).thenComparingLong(Doc::seq);
          List<EventId> expected = docs.stream()
              .filter(d -> d.live && d.tenant == 1 && d.time >= f && d.time <= t && (k == null || k.equals(d.k)))
              .filter(d -> a == null || (newestFirst ? before(d, a) : before(a, d)))
              .sorted(newestFirst ? order.reversed() : order)
              .limit(n)
              .map(d -> new EventId(d.time, d.seq))
              .toList();
          TimeOrderedSearch.TopEvents top = new TimeOrderedSearch.TopEvents(n, newestFirst, after);
          TimeOrderedSearch.collect(searcher, query(layout, from, to, k), top);
          assertEquals(expected, top.drain(), "seed " + seed + " round " + round + " newestFirst " + newestFirst + " n "
              + n + " k " + k + " from " + from + " to " + to + " after " + after);
        }
      }
    }
  }

  private static boolean before(Doc d, EventId id) {
    return d.time != id.timeNanos() ? d.time < id.timeNanos() : d.seq < id.seq();
  }

  private static boolean before(EventId id, Doc d) {
    return d.time != id.timeNanos() ? d.time > id.timeNanos() : d.seq > id.seq();
  }

  private static IndexWriterConfig config(Layout layout) {
    IndexWriterConfig cfg = new IndexWriterConfig(new KeywordAnalyzer());
    if (layout == Layout.SORTED_NEWEST_FIRST) {
      cfg.setIndexSort(DocumentMapper.indexSort());
    } else {
      cfg.setMergePolicy(new LogByteSizeMergePolicy());
    }
    return cfg;
  }

  /**
   * Adds segments of events in seq order whose times mostly advance: batches stamped a little out
   * of order, a few late events, and sometimes a whole segment backfilled with old events.
   */
  private static void addSegments(IndexWriter w, List<Doc> docs, SplittableRandom rnd, Layout layout) throws IOException {
    int segments = 2 + rnd.nextInt(5);
    long clock = T0;
    for (int s = 0; s < segments; s++) {
      int size = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(50) : 2_000 + rnd.nextInt(12_000);
      boolean backfill = s > 0 && rnd.nextInt(5) == 0;
      long batchTime = backfill ? T0 + rnd.nextLong(clock - T0 + 1) : clock;
      for (int i = 0; i < size; i++) {
        if (i % 100 == 0) {
          batchTime += rnd.nextLong(20 * MS) - 5 * MS; // the next batch, sometimes stamped earlier
        }
        long time = switch (rnd.nextInt(500)) {
          case 0 -> batchTime - rnd.nextLong(3_600_000 * MS); // late: a shipper catching up
          case 1 -> batchTime + rnd.nextLong(600_000 * MS); // ahead: a host whose clock runs fast
          default -> batchTime + rnd.nextLong(MS);
        };
        if (rnd.nextInt(100) == 0) {
          time = batchTime; // equal times: seq decides
        }
        Doc d = new Doc(time, docs.size() + 1L, rnd.nextInt(20) == 0 ? "rare" : "common", rnd.nextInt(8) == 0 ? 2 : 1, true);
        docs.add(d);
        w.addDocument(document(d, layout));
      }
      if (!backfill) {
        clock = Math.max(clock, batchTime);
      }
      w.commit();
    }
  }

  private static Document document(Doc d, Layout layout) {
    Document doc = new Document();
    if (layout == Layout.SORTED_NEWEST_FIRST) {
      doc.add(new LongPoint(DocumentMapper.TIME, d.time));
      doc.add(new NumericDocValuesField(DocumentMapper.TIME, d.time));
    } else {
      doc.add(NumericDocValuesField.indexedField(DocumentMapper.TIME, d.time));
    }
    doc.add(new NumericDocValuesField(DocumentMapper.SEQ, d.seq));
    doc.add(new StringField("seq", Long.toString(d.seq), Field.Store.NO));
    doc.add(new StringField("k", d.k, Field.Store.NO));
    doc.add(new IntField(DocumentMapper.TENANT, d.tenant, Field.Store.NO));
    return doc;
  }

  /** Tenant 1's events with {@code from <= time <= to} and an optional term, as Searcher builds them. */
  private static Query query(Layout layout, long from, long to, String k) {
    BooleanQuery.Builder b = new BooleanQuery.Builder()
        .add(IntField.newExactQuery(DocumentMapper.TENANT, 1), BooleanClause.Occur.FILTER);
    if (from != Long.MIN_VALUE || to != Long.MAX_VALUE) {
      b.add(DocumentMapper.timeRange(layout, from, to), BooleanClause.Occur.FILTER);
    }
    if (k != null) {
      b.add(new TermQuery(new Term("k", k)), BooleanClause.Occur.FILTER);
    }
    return b.build();
  }
}
