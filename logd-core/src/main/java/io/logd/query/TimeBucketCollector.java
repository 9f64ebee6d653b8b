package io.logd.query;

import io.logd.index.DocumentMapper;
import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdStream;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;

/**
 * Counts matching documents per time bucket: bucket {@code i} holds {@code _time} in {@code [first
 * + i * step, first + (i + 1) * step)}. Every match must fall in one of the {@code counts.length}
 * buckets (the query's time range sees to that).
 *
 * <p>A segment sorted by {@code _time} descending, as every day index is, keeps each bucket in one
 * run of doc ids. There the run bounds are found by binary search on the time doc values, and a
 * match is counted by the run it falls in, without reading its time; a block of matches is counted
 * run by run with {@link DocIdStream#count(int)}. A minute of busy ingest is millions of documents,
 * so this is what keeps a histogram query cheap. Other segments, and ones with far more buckets than
 * documents to spare, read the time of each match.
 */
final class TimeBucketCollector extends SimpleCollector {
  /** Runs are used only when a leaf has at least this many docs per bucket in its time span. */
  private static final int MIN_DOCS_PER_BUCKET = 32;

  private final long first;
  private final long step;
  private final long[] counts;

  // the current leaf
  private LeafReader reader;
  private NumericDocValues times; // per-doc reading, when runs are not used
  /** Run {@code j} is docs {@code [bounds[j], bounds[j + 1])}, bucket {@code newestBucket - j}. */
  private int[] bounds;
  private int runs;
  private int newestBucket;
  private int run; // the run of the last doc counted; docs arrive in increasing order

  TimeBucketCollector(long first, long step, long[] counts) {
    this.first = first;
    this.step = step;
    this.counts = counts;
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.COMPLETE_NO_SCORES;
  }

  @Override
  protected void doSetNextReader(LeafReaderContext context) throws IOException {
    reader = context.reader();
    times = null;
    runs = 0;
    run = 0;
    if (!sortedNewestFirst(reader.getMetaData().sort()) || !findRuns()) {
      runs = 0;
      times = DocValues.getNumeric(reader, DocumentMapper.TIME);
    }
  }

  private static boolean sortedNewestFirst(Sort sort) {
    if (sort == null || sort.getSort().length == 0) {
      return false;
    }
    SortField f = sort.getSort()[0];
    return f.getField().equals(DocumentMapper.TIME) && f.getType() == SortField.Type.LONG && f.getReverse();
  }

  /** Fills {@link #bounds} for the buckets the leaf's time span covers; false to read per doc. */
  private boolean findRuns() throws IOException {
    int maxDoc = reader.maxDoc();
    if (maxDoc == 0) {
      return true; // no runs; nothing will be collected
    }
    long newest = timeAt(0);
    long oldest = timeAt(maxDoc - 1);
    if (newest == Long.MIN_VALUE || oldest == Long.MIN_VALUE) {
      return false; // a doc without a time: leave it to per-doc reading
    }
    int hi = clampedBucket(newest);
    int lo = clampedBucket(oldest);
    int n = hi - lo + 1;
    if ((long) n * MIN_DOCS_PER_BUCKET > maxDoc && n > 1) {
      return false;
    }
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
    newestBucket = hi;
    return true;
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
    if (times != null) {
      if (times.advanceExact(doc)) {
        counts[(int) ((times.longValue() - first) / step)]++;
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
    if (times != null) {
      stream.forEach(this::collect);
      return;
    }
    if (runs == 0) {
      stream.count(); // consume; no doc of this leaf can match
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
    if (times != null) {
      for (int doc = min; doc < max; doc++) {
        collect(doc);
      }
      return;
    }
    for (int j = run; j < runs; j++) {
      int from = Math.max(min, bounds[j]);
      int to = Math.min(max, bounds[j + 1]);
      if (to > from) {
        counts[newestBucket - j] += to - from;
        run = j;
      }
      if (bounds[j + 1] >= max) {
        break;
      }
    }
  }
}
