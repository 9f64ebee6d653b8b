package io.logd.query;

import io.logd.index.DocumentMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.DocValuesSkipper;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;

/**
 * The span of event times in each block of doc ids of one segment, read from the {@code _time}
 * skip index. A day index keeps documents in the order they were added, which is nearly time order
 * but not exactly (concurrent batches, shippers' clocks, late events), so a segment cannot promise
 * that doc {@code d} is older than doc {@code d + 1}; its blocks can promise bounds: no doc before
 * block {@code i} is newer than {@link #maxBefore(int)}, none from block {@code i} on is older than
 * {@link #minFrom(int)}. Newest-first searches walk a segment backwards and stop on the first bound,
 * and histograms count a block whose span lies in one bucket without reading its docs' times.
 *
 * <p>Immutable; one instance per segment core is cached until the segment closes.
 */
final class TimeBlocks {
  private static final Map<IndexReader.CacheKey, TimeBlocks> CACHE = new ConcurrentHashMap<>();

  /** Block {@code i} is docs {@code [starts[i], starts[i + 1])}; {@code starts[blocks]} is maxDoc. */
  private final int[] starts;
  private final long[] min;
  private final long[] max;
  /** {@code prefixMax[i]}: the newest time in blocks {@code 0 .. i-1} ({@code MIN_VALUE} for none). */
  private final long[] prefixMax;
  /** {@code suffixMin[i]}: the oldest time in blocks {@code i ..} ({@code MAX_VALUE} for none). */
  private final long[] suffixMin;
  final int blocks;

  private TimeBlocks(int[] starts, long[] min, long[] max, int blocks) {
    this.starts = starts;
    this.min = min;
    this.max = max;
    this.blocks = blocks;
    this.prefixMax = new long[blocks + 1];
    this.suffixMin = new long[blocks + 1];
    prefixMax[0] = Long.MIN_VALUE;
    for (int i = 0; i < blocks; i++) {
      prefixMax[i + 1] = Math.max(prefixMax[i], max[i]);
    }
    suffixMin[blocks] = Long.MAX_VALUE;
    for (int i = blocks - 1; i >= 0; i--) {
      suffixMin[i] = Math.min(suffixMin[i + 1], min[i]);
    }
  }

  /**
   * The blocks of a segment, or null when its {@code _time} has no skip index (a day index written
   * before logd kept documents in insertion order) or the segment is empty.
   */
  static TimeBlocks of(LeafReader reader) throws IOException {
    IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
    if (helper != null) {
      TimeBlocks cached = CACHE.get(helper.getKey());
      if (cached != null) {
        return cached;
      }
    }
    TimeBlocks b = read(reader);
    if (b != null && helper != null && CACHE.putIfAbsent(helper.getKey(), b) == null) {
      helper.addClosedListener(CACHE::remove);
    }
    return b;
  }

  private static TimeBlocks read(LeafReader reader) throws IOException {
    int maxDoc = reader.maxDoc();
    DocValuesSkipper skipper = reader.getDocValuesSkipper(DocumentMapper.TIME);
    if (skipper == null || maxDoc == 0) {
      return null;
    }
    int capacity = 16;
    int[] starts = new int[capacity + 1];
    long[] min = new long[capacity];
    long[] max = new long[capacity];
    int n = 0;
    starts[0] = 0;
    skipper.advance(0);
    // Docs without a time (none are written so) would sit in gaps between intervals: a block
    // covers from the end of the previous one, so its bounds stay safe for every doc id.
    while (skipper.minDocID(0) != DocIdSetIterator.NO_MORE_DOCS && skipper.minDocID(0) < maxDoc) {
      if (n == capacity) {
        capacity *= 2;
        starts = Arrays.copyOf(starts, capacity + 1);
        min = Arrays.copyOf(min, capacity);
        max = Arrays.copyOf(max, capacity);
      }
      min[n] = skipper.minValue(0);
      max[n] = skipper.maxValue(0);
      int last = skipper.maxDocID(0);
      n++;
      starts[n] = Math.min(maxDoc, last + 1);
      if (last + 1 >= maxDoc) {
        break;
      }
      skipper.advance(last + 1);
    }
    if (n == 0) {
      return null;
    }
    starts[n] = maxDoc;
    return new TimeBlocks(starts, min, max, n);
  }

  /**
   * Whether a segment is sorted by {@code _time} descending, as the day indexes of earlier builds
   * are ({@link DocumentMapper.Layout#SORTED_NEWEST_FIRST}); such segments have no blocks.
   */
  static boolean sortedNewestFirst(LeafReader reader) {
    Sort sort = reader.getMetaData().sort();
    if (sort == null || sort.getSort().length == 0) {
      return false;
    }
    SortField f = sort.getSort()[0];
    return f.getField().equals(DocumentMapper.TIME) && f.getType() == SortField.Type.LONG && f.getReverse();
  }

  /** The first doc of block {@code i}; {@code start(blocks)} is maxDoc. */
  int start(int i) {
    return starts[i];
  }

  long min(int i) {
    return min[i];
  }

  long max(int i) {
    return max[i];
  }

  /** The newest time of any doc before block {@code i}. */
  long maxBefore(int i) {
    return prefixMax[i];
  }

  /** The oldest time of any doc in block {@code i} or later. */
  long minFrom(int i) {
    return suffixMin[i];
  }

  long newest() {
    return prefixMax[blocks];
  }

  long oldest() {
    return suffixMin[0];
  }

  /** The block holding {@code doc} (0 <= doc < maxDoc). */
  int blockOf(int doc) {
    int i = Arrays.binarySearch(starts, 0, blocks + 1, doc);
    return i >= 0 ? Math.min(i, blocks - 1) : -i - 2;
  }
}
