package io.logd.query;

import io.logd.event.EventId;
import io.logd.index.DocumentMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.NumericUtils;

/**
 * The first matches of a query in time order on one day's searcher, newest or oldest first, fed
 * into a {@link TopEvents}. Nothing is scored and nothing is sorted by Lucene.
 *
 * <p>Segments are visited by the time they reach toward the wanted end, and a segment that cannot
 * beat the events already kept is skipped, as are all after it. Inside a segment written in
 * insertion order (see {@link TimeBlocks}) the search starts at the wanted end: newest first, it
 * scores the last block of doc ids, then ever larger runs of blocks before it (a new scorer each
 * time, since Lucene's iterators only move forward), and stops once no doc before the run could
 * enter; oldest first, one scorer moves forward block by block and stops the same way. So a page of
 * recent events reads about one block of a segment, however large the segment is. Segments of day
 * indexes written before insertion order (sorted newest first) stop after their first {@code n}
 * matches when newest first, and are read whole when oldest first.
 */
final class TimeOrderedSearch {
  /** Most blocks one backward run scores; runs double up to it. */
  private static final int MAX_RUN_BLOCKS = 1 << 12;

  private TimeOrderedSearch() {}

  /** A segment and the time span of its docs. */
  private record Leaf(LeafReaderContext context, TimeBlocks blocks, long newest, long oldest) {}

  /** Adds the matches of {@code query} in {@code searcher} that can enter {@code top}. */
  static void collect(IndexSearcher searcher, Query query, TopEvents top) throws IOException {
    List<Leaf> leaves = new ArrayList<>();
    for (LeafReaderContext ctx : searcher.getIndexReader().leaves()) {
      Leaf leaf = leaf(ctx);
      if (leaf != null) {
        leaves.add(leaf);
      }
    }
    if (leaves.isEmpty()) {
      return;
    }
    leaves.sort(top.newestFirst()
        ? Comparator.comparingLong(Leaf::newest).reversed()
        : Comparator.comparingLong(Leaf::oldest));
    Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (Leaf leaf : leaves) {
      if (!top.couldTake(top.newestFirst() ? leaf.newest : leaf.oldest)) {
        break; // the leaves after it reach even less far
      }
      if (leaf.blocks != null) {
        if (top.newestFirst()) {
          backward(weight, leaf, top);
        } else {
          forward(weight, leaf, top);
        }
      } else {
        whole(weight, leaf.context, top);
      }
    }
  }

  /** The leaf's span, or null when it holds no timed doc. */
  private static Leaf leaf(LeafReaderContext ctx) throws IOException {
    LeafReader reader = ctx.reader();
    TimeBlocks blocks = TimeBlocks.of(reader);
    if (blocks != null) {
      return new Leaf(ctx, blocks, blocks.newest(), blocks.oldest());
    }
    PointValues points = reader.getPointValues(DocumentMapper.TIME);
    if (points == null || points.size() == 0) {
      return null;
    }
    return new Leaf(ctx, null, NumericUtils.sortableBytesToLong(points.getMaxPackedValue(), 0),
        NumericUtils.sortableBytesToLong(points.getMinPackedValue(), 0));
  }

  /** Newest first: runs of blocks from the end, each scored by a new scorer, until no doc before can enter. */
  private static void backward(Weight weight, Leaf leaf, TopEvents top) throws IOException {
    TimeBlocks blocks = leaf.blocks;
    Bits live = leaf.context.reader().getLiveDocs();
    int hi = blocks.blocks;
    int run = 1;
    while (hi > 0 && top.couldTake(blocks.maxBefore(hi))) {
      int lo = Math.max(0, hi - run);
      BulkScorer scorer = weight.bulkScorer(leaf.context);
      if (scorer == null) {
        return; // nothing in the segment matches
      }
      scorer.score(new TimesCollector(leaf.context.reader(), top, false), live, blocks.start(lo), blocks.start(hi));
      hi = lo;
      run = Math.min(MAX_RUN_BLOCKS, run * 2);
    }
  }

  /** Oldest first: one scorer forward, block by block, skipping blocks no doc of which can enter. */
  private static void forward(Weight weight, Leaf leaf, TopEvents top) throws IOException {
    TimeBlocks blocks = leaf.blocks;
    BulkScorer scorer = weight.bulkScorer(leaf.context);
    if (scorer == null) {
      return;
    }
    Bits live = leaf.context.reader().getLiveDocs();
    TimesCollector collector = new TimesCollector(leaf.context.reader(), top, false);
    int next = 0; // the scorer's next possible match
    for (int b = 0; b < blocks.blocks && top.couldTake(blocks.minFrom(b)); b++) {
      int end = blocks.start(b + 1);
      if (next >= end || !top.couldTake(blocks.min(b))) {
        continue;
      }
      next = scorer.score(collector, live, Math.max(next, blocks.start(b)), end);
    }
  }

  /**
   * A segment without blocks: a day index from before insertion order, sorted newest first. Newest
   * first, its first matches that enter are the ones wanted, so it stops once one cannot enter.
   */
  private static void whole(Weight weight, LeafReaderContext ctx, TopEvents top) throws IOException {
    BulkScorer scorer = weight.bulkScorer(ctx);
    if (scorer == null) {
      return;
    }
    boolean stopEarly = top.newestFirst() && TimeBlocks.sortedNewestFirst(ctx.reader());
    try {
      scorer.score(new TimesCollector(ctx.reader(), top, stopEarly), ctx.reader().getLiveDocs(), 0, Integer.MAX_VALUE);
    } catch (CollectionTerminatedException done) {
      // the rest of the segment is older than what was kept
    }
  }

  /** Reads each match's time and seq and offers it; fresh per run, since doc values only move forward. */
  private static final class TimesCollector implements LeafCollector {
    private final NumericDocValues times;
    private final NumericDocValues seqs;
    private final TopEvents top;
    private final boolean stopWhenFull;

    TimesCollector(LeafReader reader, TopEvents top, boolean stopWhenFull) throws IOException {
      this.times = DocValues.getNumeric(reader, DocumentMapper.TIME);
      this.seqs = DocValues.getNumeric(reader, DocumentMapper.SEQ);
      this.top = top;
      this.stopWhenFull = stopWhenFull;
    }

    @Override
    public void setScorer(Scorable scorer) {}

    @Override
    public void collect(int doc) throws IOException {
      if (!times.advanceExact(doc)) {
        return;
      }
      long time = times.longValue();
      if (!top.couldTake(time)) {
        if (stopWhenFull) {
          throw new CollectionTerminatedException();
        }
        return;
      }
      top.offer(time, seqs.advanceExact(doc) ? seqs.longValue() : 0L);
    }
  }

  /**
   * The best {@code n} events by {@code (time, seq)}, newest or oldest first, strictly after an
   * optional cursor position. {@code (time, seq)} is unique, so the order is total.
   */
  static final class TopEvents {
    private final int n;
    private final boolean newestFirst;
    private final boolean hasAfter;
    private final long afterTime;
    private final long afterSeq;
    /** A heap whose root is the kept event that would go first: the worst one. */
    private final long[] times;
    private final long[] seqs;
    private int size;

    /** @param after the cursor's {@code (time, seq)}, or null for none */
    TopEvents(int n, boolean newestFirst, EventId after) {
      if (n < 1) {
        throw new IllegalArgumentException("n must be positive");
      }
      this.n = n;
      this.newestFirst = newestFirst;
      this.hasAfter = after != null;
      this.afterTime = after == null ? 0 : after.timeNanos();
      this.afterSeq = after == null ? 0 : after.seq();
      this.times = new long[n];
      this.seqs = new long[n];
    }

    boolean newestFirst() {
      return newestFirst;
    }

    /** Whether some event at {@code time} could still enter (ignoring the cursor). */
    boolean couldTake(long time) {
      if (size < n) {
        return true;
      }
      return newestFirst ? time >= times[0] : time <= times[0];
    }

    /** Keeps the event if it is after the cursor and better than the worst kept one. */
    void offer(long time, long seq) {
      if (hasAfter && !better(afterTime, afterSeq, time, seq)) {
        return;
      }
      if (size < n) {
        int i = size++;
        times[i] = time;
        seqs[i] = seq;
        siftUp(i);
      } else if (better(time, seq, times[0], seqs[0])) {
        times[0] = time;
        seqs[0] = seq;
        siftDown(0);
      }
    }

    /** The kept events, best first; empties the heap. */
    List<EventId> drain() {
      EventId[] out = new EventId[size];
      for (int i = size - 1; i >= 0; i--) {
        out[i] = new EventId(times[0], seqs[0]);
        size--;
        times[0] = times[size];
        seqs[0] = seqs[size];
        siftDown(0);
      }
      return List.of(out);
    }

    /** Whether {@code a} comes before {@code b} in this order. */
    private boolean better(long aTime, long aSeq, long bTime, long bSeq) {
      int c = aTime != bTime ? Long.compare(aTime, bTime) : Long.compare(aSeq, bSeq);
      return newestFirst ? c > 0 : c < 0;
    }

    private void siftUp(int i) {
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!better(times[parent], seqs[parent], times[i], seqs[i])) {
          return;
        }
        swap(i, parent);
        i = parent;
      }
    }

    private void siftDown(int i) {
      while (true) {
        int worst = i;
        int l = 2 * i + 1;
        int r = l + 1;
        if (l < size && better(times[worst], seqs[worst], times[l], seqs[l])) {
          worst = l;
        }
        if (r < size && better(times[worst], seqs[worst], times[r], seqs[r])) {
          worst = r;
        }
        if (worst == i) {
          return;
        }
        swap(i, worst);
        i = worst;
      }
    }

    private void swap(int a, int b) {
      long t = times[a];
      times[a] = times[b];
      times[b] = t;
      long s = seqs[a];
      seqs[a] = seqs[b];
      seqs[b] = s;
    }
  }
}
