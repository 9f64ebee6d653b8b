package io.logd.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.testing.RollupOracle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The top-K error bound: every count is a lower bound within {@code maxError}, and {@code maxError
 * <= n/101}, through the whole life of a summary: a minute's space-saving sketch, repeated flushes
 * into a 100-entry minute row, merges into 1,000-entry hour and day rows, and query sums. Streams
 * are Zipf-like with a long tail of values seen once (the worst case for a sketch). Prints its
 * seed; rerun with {@code -Dtopk.seed=N}.
 */
class TopKTest {
  @Test
  void exactWhileTheSketchHasSpareCounters() {
    SpaceSaving s = new SpaceSaving(101);
    for (int i = 0; i < 100; i++) {
      for (int j = 0; j <= i; j++) {
        s.offer("v" + i);
      }
    }
    TopK t = s.toTopK();
    assertEquals(0, t.maxError());
    assertEquals(5050, t.n());
    assertEquals(100, t.count("v99"));
    assertEquals(List.of(new TopK.Item("v99", 100), new TopK.Item("v98", 99)), t.items(2));
  }

  @Test
  void aHeavyHitterSurvivesAFloodOfSingletons() {
    SpaceSaving s = new SpaceSaving(101);
    for (int i = 0; i < 100_000; i++) {
      s.offer(i % 10 == 0 ? "heavy" : "once-" + i);
    }
    TopK t = s.toTopK();
    assertEquals("heavy", t.items(1).get(0).value());
    assertTrue(t.count("heavy") <= 10_000 && 10_000 <= t.count("heavy") + t.maxError());
    assertTrue(t.maxError() <= 100_000 / 101);
  }

  @RepeatedTest(5)
  void boundHoldsThroughFlushesTiersAndQueries() {
    long seed = Long.getLong("topk.seed", System.nanoTime());
    System.out.println("TopKTest seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    int distinct = 50 + rnd.nextInt(20_000);
    List<TopK> minuteRows = new ArrayList<>();
    List<Map<String, Long>> minuteExact = new ArrayList<>();
    TopK hour = new TopK();
    for (int minute = 0; minute < 30; minute++) {
      TopK row = new TopK();
      Map<String, Long> exact = new HashMap<>();
      int flushes = 1 + rnd.nextInt(12);
      for (int f = 0; f < flushes; f++) {
        SpaceSaving sketch = new SpaceSaving(LiveMinute.SKETCH_COUNTERS);
        int events = rnd.nextInt(5_000);
        for (int i = 0; i < events; i++) {
          String v = rnd.nextInt(4) == 0 ? "tail-" + rnd.nextInt(1_000_000) : "v" + zipf(rnd, distinct);
          sketch.offer(v);
          exact.merge(v, 1L, Long::sum);
        }
        if (!sketch.isEmpty()) {
          row.add(sketch.toTopK());
          row.truncate(Tier.MINUTE.topCapacity);
          RollupOracle.checkTop(exact, row, "seed " + seed + " minute " + minute + " after flush " + f);
        }
      }
      minuteRows.add(row);
      minuteExact.add(exact);
      hour.add(row);
      hour.truncate(Tier.HOUR.topCapacity);
    }
    Map<String, Long> all = new HashMap<>();
    minuteExact.forEach(m -> m.forEach((k, v) -> all.merge(k, v, Long::sum)));
    RollupOracle.checkTop(all, hour, "seed " + seed + " hour row");
    TopK query = new TopK();
    minuteRows.forEach(query::add);
    RollupOracle.checkTop(all, query, "seed " + seed + " query sum of minute rows");
    // A heavy value is listed: anything above maxError must be.
    all.forEach((value, count) -> {
      if (count > hour.maxError()) {
        assertTrue(hour.count(value) > 0, "seed " + seed + ": " + value + " seen " + count + " times is not listed");
      }
    });
  }

  private static int zipf(SplittableRandom rnd, int n) {
    return (int) Math.min(n - 1, Math.floor(Math.pow(n + 1, rnd.nextDouble()) - 1));
  }
}
