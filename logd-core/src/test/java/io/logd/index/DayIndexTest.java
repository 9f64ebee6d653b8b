package io.logd.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a new day index merges its segments. */
class DayIndexTest {
  @TempDir Path dir;

  @Test
  void aNewDayMergesNeighboursTwentyAtATimeAndLeavesSegmentsOver512MbAlone() throws Exception {
    try (DayIndex day = DayIndex.open(LocalDate.of(2026, 12, 6), dir, new LogAnalyzer(), FieldSchema.Limits.DEFAULTS)) {
      LogByteSizeMergePolicy merges = assertInstanceOf(LogByteSizeMergePolicy.class, day.mergePolicy());
      assertEquals(20, merges.getMergeFactor());
      assertEquals(512.0, merges.getMaxMergeMB());
    }
  }
}
