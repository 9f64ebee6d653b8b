package io.logd.index;

import java.io.IOException;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;

/**
 * Lucene's concurrent merges on threads of the lowest Java priority, like the indexer's: merges
 * are throughput work, and searches must not wait behind them for a core. Java priorities reach
 * the OS only with {@code -XX:ThreadPriorityPolicy=1}, which the launcher passes (see {@code
 * ./logd}); without it this is the plain scheduler.
 */
final class BackgroundMergeScheduler extends ConcurrentMergeScheduler {
  @Override
  protected synchronized MergeThread getMergeThread(MergeSource mergeSource, MergePolicy.OneMerge merge)
      throws IOException {
    MergeThread t = super.getMergeThread(mergeSource, merge);
    t.setPriority(Thread.MIN_PRIORITY);
    return t;
  }
}
