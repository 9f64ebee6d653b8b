package io.logd.query;

import io.logd.index.DocumentMapper;
import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.DocIdStream;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.util.NumericUtils;

/**
 * Counts matching documents per time bucket: bucket {@code i} holds {@code _time} in {@code [first
 * + i * step, first + (i + 1) * step)}. Every match must fall in one of the {@code counts.length}
 * buckets (the query's time range sees to that).
 *
 * <p>A busy minute is millions of documents, so reading each match's time would make a histogram
 * over dense matches slow. Instead a segment is cut into runs of doc ids whose bucket is known, and
 * matches in such a run are counted by the run, without reading their times; a block of matches is
 * counted run by run with {@link DocIdStream#count(int)}. Where the runs come from:
 *
 * <ul>
 *   <li>A segment in insertion order has {@link TimeBlocks}: a block whose span lies in one bucket is
 *       a run of that bucket; a block that straddles a bucket edge is a run whose matches are read
 *       one by one.
 *   <li>A segment sorted by {@code _time} descending (a day index from an earlier build) keeps
 *       each bucket in one run, found by a binary search on the time doc values per bucket.
 * </ul>
 *
 * Finding the runs has a cost (blocks to walk, or binary searches), so a segment first reads its
 * matches' times one by one, and finds its runs only after as many matches as that cost: sparse
 * matches over a long-merged segment just read their times.
 */
final class TimeBucketCollector extends SimpleCollector {
  /** A binary-search probe opens a doc-values iterator: several times a forward read's cost. */
  private static final int PROBE_COST = 8;
  /** A run whose matches are read one by one: its docs straddle a bucket edge. */
  private static final int MIXED = -1;
  /** A run with no doc in any bucket: it holds no match. */
  private static final int OUTSIDE = -2;

  private final long first;
  private final long step;
  private final long[] counts;

  // the current leaf
  private LeafReader reader;
  private TimeBlocks blocks; // null for a sorted or unstructured segment
  private NumericDocValues times; // per-doc reading; moves forward only
  private int collected; // matches of this leaf read per doc
  private int switchAt; // after this many, find the runs (Integer.MAX_VALUE: never)
  /** Run {@code j} is docs {@code [j == 0 ? 0 : runEnds[j - 1], runEnds[j])} of bucket {@code runBuckets[j]}. */
  private int[] runEnds = new int[16];
  private int[] runBuckets = new int[16];
  private int runs = -1; // -1 while the runs are not known
  private int run; // the run of the last doc counted; docs arrive in increasing order
  private long streamed; // docs of MIXED runs taken from streams, to see whether a run held any
  private int newestBucket; // a sorted segment's buckets of its first and last doc, set by sortedRunsCost
  private int oldestBucket;

  /** When the query matches every event of a tenant in a time range: that tenant and range. */
  private final int tenant;
  private final long from;
  private final long to;
  private final boolean everything;

  /** Counts the matches of any query. */
  TimeBucketCollector(long first, long step, long[] counts) {
    this(first, step, counts, 0, 0, 0, false);
  }

  private TimeBucketCollector(long first, long step, long[] counts, int tenant, long from, long to, boolean everything) {
    this.first = first;
    this.step = step;
    this.counts = counts;
    this.tenant = tenant;
    this.from = from;
    this.to = to;
    this.everything = everything;
  }

  /**
   * Counts a query that matches every event of {@code tenant} with {@code from <= _time < to}. A
   * segment holding only that tenant's events, none deleted, is counted from its runs alone, with
   * no query run over it: the open minute at the edge of a histogram can hold millions.
   */
  static TimeBucketCollector everyEvent(long first, long step, long[] counts, int tenant, long from, long to) {
    return new TimeBucketCollector(first, step, counts, tenant, from, to, true);
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.COMPLETE_NO_SCORES;
  }

  @Override
  protected void doSetNextReader(LeafReaderContext context) throws IOException {
    reader = context.reader();
    times = DocValues.getNumeric(reader, DocumentMapper.TIME);
    collected = 0;
    runs = -1;
    run = 0;
    blocks = TimeBlocks.of(reader);
    boolean sorted = blocks == null && TimeBlocks.sortedNewestFirst(reader);
    switchAt = blocks != null ? blocks.blocks : sorted ? sortedRunsCost() : Integer.MAX_VALUE;
    if (everything && switchAt != Integer.MAX_VALUE && reader.getLiveDocs() == null && onlyTenant()) {
      findRuns();
      countEveryDocInRange();
      throw new CollectionTerminatedException(); // Lucene moves on to the next segment
    }
  }

  /** Whether every doc of the leaf is {@link #tenant}'s. */
  private boolean onlyTenant() throws IOException {
    PointValues p = reader.getPointValues(DocumentMapper.TENANT);
    return p != null && p.getDocCount() == reader.maxDoc()
        && NumericUtils.sortableBytesToInt(p.getMinPackedValue(), 0) == tenant
        && NumericUtils.sortableBytesToInt(p.getMaxPackedValue(), 0) == tenant;
  }

  /**
   * Counts every doc of the leaf with {@code from <= _time < to}: whole runs inside the range by
   * their length, the rest by reading their times.
   */
  private void countEveryDocInRange() throws IOException {
    int start = 0;
    if (blocks == null) {
      // sorted newest first: the range is one run of docs, and each bucket's run is exact
      int newest = firstDocOlderThan(to, 0, reader.maxDoc());
      int oldest = firstDocOlderThan(from, newest, reader.maxDoc());
      for (int j = 0; j < runs; j++) {
        int a = Math.max(newest, start);
        int b = Math.min(oldest, runEnds[j]);
        if (runBuckets[j] >= 0 && b > a) {
          counts[runBuckets[j]] += b - a;
        }
        start = runEnds[j];
      }
      return;
    }
    NumericDocValues values = DocValues.getNumeric(reader, DocumentMapper.TIME);
    for (int j = 0; j < runs; j++) {
      int end = runEnds[j];
      int bucket = runBuckets[j];
      if (bucket >= 0 && runInside(start, end)) {
        counts[bucket] += end - start;
      } else if (bucket != OUTSIDE) {
        for (int doc = values.advance(start); doc < end; doc = values.nextDoc()) {
          long t = values.longValue();
          if (t >= from && t < to) {
            counts[(int) ((t - first) / step)]++;
          }
        }
      }
      start = end;
    }
  }

  /** Whether the blocks of {@code [start, end)} say that all its docs are in {@code [from, to)}. */
  private boolean runInside(int start, int end) {
    int b = blocks.blockOf(start);
    int last = blocks.blockOf(end - 1);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = b; i <= last; i++) {
      min = Math.min(min, blocks.min(i));
      max = Math.max(max, blocks.max(i));
    }
    return min >= from && max < to;
  }

  /** What finding a sorted segment's runs costs, in forward doc-value reads: a binary search per bucket spanned. */
  private int sortedRunsCost() throws IOException {
    int maxDoc = reader.maxDoc();
    if (maxDoc == 0) {
      return Integer.MAX_VALUE;
    }
    long newest = timeAt(0);
    long oldest = timeAt(maxDoc - 1);
    if (newest == Long.MIN_VALUE || oldest == Long.MIN_VALUE) {
      return Integer.MAX_VALUE; // a doc without a time: read per doc
    }
    newestBucket = clampedBucket(newest);
    oldestBucket = clampedBucket(oldest);
    long buckets = newestBucket - oldestBucket + 2L;
    return (int) Math.min(Integer.MAX_VALUE, buckets * PROBE_COST * (33 - Integer.numberOfLeadingZeros(maxDoc)));
  }

  /** Fills the runs from the leaf's blocks or, for a sorted segment, by binary search. */
  private void findRuns() throws IOException {
    runs = 0;
    if (blocks != null) {
      for (int i = 0; i < blocks.blocks; i++) {
        addRun(blocks.start(i + 1), bucketOfSpan(blocks.min(i), blocks.max(i)));
      }
      return;
    }
    // Sorted newest first: docs newer than the newest bucket or older than the oldest one match
    // no query here; they sit before the first run and after the last one.
    int maxDoc = reader.maxDoc();
    int start = newestBucket == counts.length - 1 ? firstDocOlderThan(first + (long) counts.length * step, 0, maxDoc) : 0;
    addRun(start, OUTSIDE);
    for (int bucket = newestBucket; bucket >= oldestBucket; bucket--) {
      int end = firstDocOlderThan(first + (long) bucket * step, start, maxDoc);
      addRun(end, bucket);
      start = end;
    }
    addRun(maxDoc, OUTSIDE);
  }

  /** The bucket of every time in {@code [min, max]}: one bucket, {@link #MIXED} or {@link #OUTSIDE}. */
  private int bucketOfSpan(long min, long max) {
    long end = first + (long) counts.length * step;
    if (max < first || min >= end) {
      return OUTSIDE;
    }
    if (min < first || max >= end) {
      return MIXED;
    }
    long a = (min - first) / step;
    long b = (max - first) / step;
    return a == b ? (int) a : MIXED;
  }

  /** Appends a run ending before {@code end}, merged into the previous one when of the same bucket. */
  private void addRun(int end, int bucket) {
    int start = runs == 0 ? 0 : runEnds[runs - 1];
    if (end <= start) {
      return;
    }
    if (runs > 0 && runBuckets[runs - 1] == bucket) {
      runEnds[runs - 1] = end;
      return;
    }
    if (runs == runEnds.length) {
      runEnds = java.util.Arrays.copyOf(runEnds, runs * 2);
      runBuckets = java.util.Arrays.copyOf(runBuckets, runs * 2);
    }
    runEnds[runs] = end;
    runBuckets[runs] = bucket;
    runs++;
  }

  private int clampedBucket(long time) {
    long b = Math.floorDiv(time - first, step);
    return (int) Math.max(0, Math.min(counts.length - 1, b));
  }

  /** The smallest doc in {@code [from, to]} whose time is below {@code t} ({@code to} if none). */
  private int firstDocOlderThan(long t, int from, int to) throws IOException {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timeAt(mid) < t) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The time of one doc by a fresh iterator (doc values only move forward); MIN_VALUE if none. */
  private long timeAt(int doc) throws IOException {
    NumericDocValues v = DocValues.getNumeric(reader, DocumentMapper.TIME);
    return v.advanceExact(doc) ? v.longValue() : Long.MIN_VALUE;
  }

  /** Counts one match by its own time. */
  private void countByTime(int doc) throws IOException {
    if (times.advanceExact(doc)) {
      counts[(int) ((times.longValue() - first) / step)]++;
    }
  }

  /** Moves {@link #run} to the run holding {@code doc}; {@code runs} when past the last. */
  private int runOf(int doc) {
    while (run < runs && doc >= runEnds[run]) {
      run++;
    }
    return run;
  }

  @Override
  public void collect(int doc) throws IOException {
    if (runs < 0) {
      countByTime(doc);
      if (++collected >= switchAt) {
        findRuns();
      }
      return;
    }
    int j = runOf(doc);
    if (j == runs) {
      return;
    }
    int bucket = runBuckets[j];
    if (bucket >= 0) {
      counts[bucket]++;
    } else if (bucket == MIXED) {
      countByTime(doc);
    }
  }

  @Override
  public void collect(DocIdStream stream) throws IOException {
    if (runs < 0) {
      stream.forEach(this::collect); // once the runs are known, collect(int) counts by them
      return;
    }
    // Each step takes the stream's docs below a run's end. A stream may say it has more when it
    // has none, so the loop can pass runs it found empty: the next stream starts at the last run
    // that held a doc, since its docs come after that one.
    int last = run;
    for (int j = run; j < runs && stream.mayHaveRemaining(); j++) {
      int bucket = runBuckets[j];
      long n;
      if (bucket == MIXED) {
        long before = streamed;
        stream.forEach(runEnds[j], this::countStreamedByTime);
        n = streamed - before;
      } else {
        n = stream.count(runEnds[j]);
        if (bucket >= 0) {
          counts[bucket] += n;
        }
      }
      if (n > 0) {
        last = j;
      }
    }
    run = last;
  }

  /** {@link #countByTime} for a doc of a stream, counting that the stream had it. */
  private void countStreamedByTime(int doc) throws IOException {
    streamed++;
    countByTime(doc);
  }

  @Override
  public void collectRange(int min, int max) throws IOException {
    int doc = min;
    for (; doc < max && runs < 0; doc++) {
      collect(doc);
    }
    for (int j = runOf(doc); j < runs && doc < max; j++) {
      int end = Math.min(max, runEnds[j]);
      int bucket = runBuckets[j];
      if (bucket >= 0) {
        counts[bucket] += end - doc;
      } else if (bucket == MIXED) {
        for (int d = doc; d < end; d++) {
          countByTime(d);
        }
      }
      run = j;
      doc = end;
    }
  }
}
