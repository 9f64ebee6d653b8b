package io.logd.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.index.DocumentMapper;
import java.io.IOException;
import java.util.ArrayList;
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
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;

/**
 * Per-bucket counts from doc-id runs on time-sorted segments (whole single-tenant segments without
 * running the query, for every event of a tenant), and from per-doc times elsewhere, against a
 * count by brute force over random events of two tenants with some deleted.
 */
class TimeBucketCollectorTest {
  static final long SEC = 1_000_000_000L;
  static final long MIN = 60 * SEC;
  static final long T0 = 1_795_000_000L * SEC;

  record Doc(long time, String k, int tenant, int id) {}

  /** How a test index keeps its documents. */
  enum Mode {
    /** Sorted newest first, as day indexes of earlier builds: runs by binary search. */
    SORTED,
    /** Random order with no skip index: every match read by its time. */
    UNSORTED,
    /** Nearly time order with a skip index on {@code _time}, as day indexes now: runs from blocks. */
    INSERTION
  }

  @Test
  void countsMatchBruteForceOnSortedSegments() throws IOException {
    check(Mode.SORTED);
  }

  /**
   * A run where a stream said it might have more docs when it had none, which once moved the
   * current run past the stream's docs and counted 424 of a bucket's matches into the next older one.
   */
  @Test
  void aStreamThatEndsEarlyDoesNotMoveTheRunPastItsDocs() throws IOException {
    check(Mode.SORTED, 16272306950968L);
  }

  @Test
  void countsMatchBruteForceOnUnsortedSegments() throws IOException {
    check(Mode.UNSORTED);
  }

  @Test
  void countsMatchBruteForceOnInsertionOrderSegments() throws IOException {
    check(Mode.INSERTION);
  }

  /**
   * Every event of a tenant, counted from blocks alone where a block lies in one bucket, still
   * counts only the part of a block that the range keeps where the range starts or ends inside it.
   */
  @Test
  void everyEventCountsOnlyTheRangeWhereItCutsABlock() throws IOException {
    try (Directory dir = new ByteBuffersDirectory();
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new KeywordAnalyzer()))) {
      int n = 20_000; // about five blocks, one event a millisecond: all in one minute
      for (int i = 0; i < n; i++) {
        w.addDocument(document(new Doc(T0 + i * 1_000_000L, "common", 1, i), Mode.INSERTION));
      }
      w.forceMerge(1);
      try (DirectoryReader reader = DirectoryReader.open(w)) {
        assertTrue(TimeBlocks.of(reader.leaves().get(0).reader()).blocks > 2);
        IndexSearcher searcher = new IndexSearcher(reader);
        long from = T0 + 6_000 * 1_000_000L; // inside the second block
        long to = T0 + 15_000 * 1_000_000L; // inside the fourth
        long[] counts = new long[1];
        searcher.search(query(DocumentMapper.Layout.INSERTION_ORDER, from, to, null, new SplittableRandom(1)),
            TimeBucketCollector.everyEvent(T0, MIN, counts, 1, from, to));
        assertArrayEquals(new long[] {9_000}, counts);
      }
    }
  }

  private static void check(Mode mode) throws IOException {
    check(mode, Long.getLong("logd.test.seed", System.nanoTime())); // -Dlogd.test.seed= repeats a run
  }

  private static void check(Mode mode, long seed) throws IOException {
    boolean sorted = mode == Mode.SORTED;
    System.out.println("TimeBucketCollectorTest seed " + seed + " mode " + mode);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Doc> docs = new ArrayList<>();
    try (Directory dir = new ByteBuffersDirectory()) {
      IndexWriterConfig cfg = new IndexWriterConfig(new KeywordAnalyzer());
      if (sorted) {
        cfg.setIndexSort(DocumentMapper.indexSort());
      } else if (mode == Mode.INSERTION) {
        cfg.setMergePolicy(new org.apache.lucene.index.LogByteSizeMergePolicy());
      }
      try (IndexWriter w = new IndexWriter(dir, cfg)) {
        int segments = 1 + rnd.nextInt(6);
        for (int s = 0; s < segments; s++) {
          // Some segments are dense in one minute, some spread over an hour, as flushes and merges are.
          long span = rnd.nextBoolean() ? MIN : 60 * MIN;
          long start = T0 + rnd.nextLong(60 * MIN);
          int n = rnd.nextBoolean() ? 1 + rnd.nextInt(20) : 2_000 + rnd.nextInt(20_000);
          boolean mixed = rnd.nextInt(4) == 0;
          long[] times = new long[n];
          for (int i = 0; i < n; i++) {
            times[i] = start + rnd.nextLong(span);
          }
          if (mode == Mode.INSERTION) {
            // added nearly in time order: sorted, then some neighbours swapped and a few late ones
            java.util.Arrays.sort(times);
            for (int i = 0; i < n / 10; i++) {
              int a = rnd.nextInt(n);
              int b = Math.min(n - 1, a + rnd.nextInt(50));
              long t = times[a];
              times[a] = times[b];
              times[b] = t;
            }
          }
          for (int i = 0; i < n; i++) {
            long time = times[i];
            // a few events at exact bucket edges, where an off-by-one would show
            if (rnd.nextInt(50) == 0) {
              time = time / MIN * MIN;
            }
            // most segments hold one tenant's events, as a single-tenant host's do
            int tenant = mixed && rnd.nextInt(3) == 0 ? 2 : 1;
            Doc d = new Doc(time, rnd.nextInt(10) == 0 ? "rare" : "common", tenant, docs.size());
            docs.add(d);
            w.addDocument(document(d, mode));
          }
          w.commit();
        }
        if (rnd.nextBoolean()) {
          w.forceMerge(1 + rnd.nextInt(2));
        }
        if (rnd.nextInt(4) != 0) {
          // deleted events are not counted: DELETE ?before= leaves them in their segments
          for (int i = 0; i < docs.size() / 20; i++) {
            int id = rnd.nextInt(docs.size());
            w.deleteDocuments(new Term("id", Integer.toString(id)));
            docs.set(id, null);
          }
          w.commit();
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        DocumentMapper.Layout layout = DocumentMapper.layoutOf(reader);
        assertTrue(mode == Mode.INSERTION ? layout == DocumentMapper.Layout.INSERTION_ORDER
            : layout == DocumentMapper.Layout.SORTED_NEWEST_FIRST);
        if (sorted) {
          for (LeafReaderContext leaf : reader.leaves()) {
            assertTrue(leaf.reader().getMetaData().sort() != null);
          }
        }
        long[] steps = {SEC, 10 * SEC, MIN, 7 * MIN + 3, 60 * MIN};
        for (int round = 0; round < 100; round++) {
          long step = steps[rnd.nextInt(steps.length)];
          long from = T0 + rnd.nextLong(120 * MIN) - 10 * MIN;
          long to = from + 1 + rnd.nextLong(step == SEC ? 20 * MIN : 90 * MIN);
          String k = switch (rnd.nextInt(3)) {
            case 0 -> null;
            case 1 -> "common";
            default -> "rare";
          };
          // the time range alone, over both tenants: scored as doc-id ranges on sorted segments
          boolean rangeAlone = k == null && rnd.nextInt(3) == 0;
          long first = Math.floorDiv(from, step) * step;
          int buckets = (int) ((to - first + step - 1) / step);
          long[] expected = new long[buckets];
          for (Doc d : docs) {
            if (d != null && (rangeAlone || d.tenant == 1) && d.time >= from && d.time < to && (k == null || k.equals(d.k))) {
              expected[(int) ((d.time - first) / step)]++;
            }
          }
          long[] counts = new long[buckets];
          // a query for every event of the tenant may count whole segments from their runs alone
          Query query = rangeAlone ? DocumentMapper.timeRange(layout, from, to - 1) : query(layout, from, to, k, rnd);
          searcher.search(query, !rangeAlone && k == null && rnd.nextBoolean()
              ? TimeBucketCollector.everyEvent(first, step, counts, 1, from, to)
              : new TimeBucketCollector(first, step, counts));
          assertArrayEquals(expected, counts,
              "seed " + seed + " round " + round + " step " + step + " from " + from + " to " + to + " k " + k);
        }
      }
    }
  }

  private static Document document(Doc d, Mode mode) {
    Document doc = new Document();
    if (mode == Mode.INSERTION) {
      doc.add(NumericDocValuesField.indexedField(DocumentMapper.TIME, d.time));
    } else {
      doc.add(new LongPoint(DocumentMapper.TIME, d.time));
      doc.add(new NumericDocValuesField(DocumentMapper.TIME, d.time));
    }
    doc.add(new NumericDocValuesField(DocumentMapper.SEQ, 0));
    doc.add(new StringField("k", d.k, Field.Store.NO));
    doc.add(new StringField("id", Integer.toString(d.id), Field.Store.NO));
    doc.add(new IntField(DocumentMapper.TENANT, d.tenant, Field.Store.NO));
    return doc;
  }

  /** Tenant 1's events in the range, with a term or match-all or neither, as Searcher builds them. */
  private static Query query(DocumentMapper.Layout layout, long from, long to, String k, SplittableRandom rnd) {
    BooleanQuery.Builder b = new BooleanQuery.Builder()
        .add(IntField.newExactQuery(DocumentMapper.TENANT, 1), BooleanClause.Occur.FILTER)
        .add(DocumentMapper.timeRange(layout, from, to - 1), BooleanClause.Occur.FILTER);
    if (k != null || rnd.nextBoolean()) {
      b.add(k == null ? new MatchAllDocsQuery() : new TermQuery(new Term("k", k)), BooleanClause.Occur.MUST);
    }
    return b.build();
  }
}
