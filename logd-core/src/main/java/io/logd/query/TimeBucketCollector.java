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
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.NumericUtils;

/**
 * Counts matching documents per time bucket: bucket {@code i} holds {@code _time} in {@code [first
 * + i * step, first + (i + 1) * step)}. Every match must fall in one of the {@code counts.length}
 * buckets (the query's time range sees to that).
 *
 * <p>A segment sorted by {@code _time} descending, as every day index is, keeps each bucket in one
 * run of doc ids. Once a segment has yielded as many matches as finding its runs costs (a binary
 * search on the time doc values per bucket it spans), the runs are found and each further match is
 * counted by the run it falls in, without reading its time; a block of matches is counted run by
 * run with {@link DocIdStream#count(int)}. A minute of busy ingest is millions of documents, so
 * this keeps a histogram over dense matches cheap, while sparse matches over a long-merged segment
 * still just read their times.
 */
final class TimeBucketCollector extends SimpleCollector {
  /** A binary-search probe opens a doc-values iterator: several times a forward read's cost. */
  private static final int PROBE_COST = 8;

  private final long first;
  private final long step;
  private final long[] counts;

  // the current leaf
  private LeafReader reader;
  private NumericDocValues times; // per-doc reading until the runs are known
  private int collected; // matches of this leaf read per doc
  private int switchAt; // after this many, find the runs (Integer.MAX_VALUE: never)
  /** Run {@code j} is docs {@code [bounds[j], bounds[j + 1])}, bucket {@code newestBucket - j}. */
  private int[] bounds;
  private int runs = -1; // -1 while the runs are not known
  private int newestBucket; // the buckets of the leaf's first and last doc, set by runsCost
  private int oldestBucket;
  private int run; // the run of the last doc counted; docs arrive in increasing order

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
   * sorted segment holding only that tenant's events, none deleted, is counted from its runs alone,
   * with no query run over it: the open minute at the edge of a histogram can hold millions.
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
    boolean sorted = sortedNewestFirst(reader.getMetaData().sort());
    switchAt = sorted ? runsCost() : Integer.MAX_VALUE;
    if (everything && sorted && switchAt != Integer.MAX_VALUE && reader.getLiveDocs() == null && onlyTenant()) {
      findRuns();
      int newest = firstDocOlderThan(to, 0, reader.maxDoc()); // the first doc in range
      int oldest = firstDocOlderThan(from, newest, reader.maxDoc()); // the first doc past it
      for (int j = 0; j < runs; j++) {
        int a = Math.max(newest, bounds[j]);
        int b = Math.min(oldest, bounds[j + 1]);
        if (b > a) {
          counts[newestBucket - j] += b - a;
        }
      }
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

  /** What finding the runs costs, in forward doc-value reads: a binary search per bucket spanned. */
  private int runsCost() throws IOException {
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

  private static boolean sortedNewestFirst(Sort sort) {
    if (sort == null || sort.getSort().length == 0) {
      return false;
    }
    SortField f = sort.getSort()[0];
    return f.getField().equals(DocumentMapper.TIME) && f.getType() == SortField.Type.LONG && f.getReverse();
  }

  /** Fills {@link #bounds} for the buckets the leaf's time span covers. */
  private void findRuns() throws IOException {
    int maxDoc = reader.maxDoc();
    int hi = newestBucket;
    int n = hi - oldestBucket + 1;
    if (bounds == null || bounds.length < n + 1) {
      bounds = new int[n + 1];
    }
    // Docs newer than the newest bucket or older than the oldest one match no query here; they
    // sit before bounds[0] and after bounds[n] and are ignored.
    bounds[0] = hi == counts.length - 1 ? firstDocOlderThan(first + (long) counts.length * step, 0, maxDoc) : 0;
    for (int j = 1; j <= n; j++) {
      bounds[j] = firstDocOlderThan(first + (long) (hi - j + 1) * step, bounds[j - 1], maxDoc);
    }
    runs = n;
    times = null;
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

  @Override
  public void collect(int doc) throws IOException {
    if (runs < 0) {
      if (times.advanceExact(doc)) {
        counts[(int) ((times.longValue() - first) / step)]++;
      }
      if (++collected >= switchAt) {
        findRuns();
      }
      return;
    }
    if (doc < bounds[0]) {
      return;
    }
    while (run < runs && doc >= bounds[run + 1]) {
      run++;
    }
    if (run < runs) {
      counts[newestBucket - run]++;
    }
  }

  @Override
  public void collect(DocIdStream stream) throws IOException {
    if (runs < 0) {
      stream.forEach(this::collect); // once the runs are known, collect(int) counts by them
      return;
    }
    stream.count(bounds[0]);
    // Each count takes the stream's docs below a run's end; the run of the last doc counted is
    // kept, because a stream may say it has more when it has none.
    for (int j = run; j < runs && stream.mayHaveRemaining(); j++) {
      int n = stream.count(bounds[j + 1]);
      if (n > 0) {
        counts[newestBucket - j] += n;
        run = j;
      }
    }
  }

  @Override
  public void collectRange(int min, int max) throws IOException {
    int doc = min;
    for (; doc < max && runs < 0; doc++) {
      collect(doc);
    }
    for (int j = run; j < runs && doc < max; j++) {
      int from = Math.max(doc, bounds[j]);
      int to = Math.min(max, bounds[j + 1]);
      if (to > from) {
        counts[newestBucket - j] += to - from;
        run = j;
      }
    }
  }
}
