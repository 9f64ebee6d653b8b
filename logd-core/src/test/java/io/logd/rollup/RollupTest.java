package io.logd.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Latency histograms: sized for a minute up front, still exact to 1 % beyond it. */
class RollupTest {
  @Test
  void aNewHistogramHasRoomForAMinuteWithoutResizing() {
    // A histogram that starts smaller resizes on its first larger value, through an exception
    // HdrHistogram throws and catches; rollups make new ones every minute.
    assertTrue(Rollup.newHistogram().getHighestTrackableValue() >= 60_000_000L);
  }

  @Test
  void latenciesPastTheInitialSizeAreKeptWithinOnePercent() {
    Rollup r = new Rollup(0);
    for (long micros = 1; micros <= 10_000; micros++) {
      r.recordLatency("api", micros);
    }
    r.recordLatency("api", 120_000_000L); // two minutes: past the initial size
    r.recordLatency("api", Long.MAX_VALUE); // clamped to a day
    r.recordLatency(null, -5); // clamped to 0

    Histogram all = r.latency();
    assertEquals(10_003, all.getTotalCount());
    assertEquals(Rollup.MAX_LATENCY_MICROS, all.getMaxValue(), Rollup.MAX_LATENCY_MICROS / 100.0);
    assertEquals(0, all.getMinValue());
    Histogram api = r.latency("api");
    assertEquals(10_002, api.getTotalCount());
    assertEquals(9_901, api.getValueAtPercentile(99), 9_901 / 100.0);
    assertTrue(api.getValueAtPercentile(99.995) >= 119_000_000L, "the two-minute value is recorded");
  }

  @Test
  void mergingKeepsEveryValue() {
    Rollup a = new Rollup(0);
    Rollup b = new Rollup(0);
    a.recordLatency("web", 1_000);
    b.recordLatency("web", 90_000_000L);
    a.merge(b, EnumSet.allOf(Section.class), 1_000, 0);
    assertEquals(2, a.latency("web").getTotalCount());
    assertEquals(90_000_000L, a.latency("web").getMaxValue(), 900_000);
  }
}
