package io.logd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.logd.ingest.IngestPipeline;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LagAdmissionTest {
  private final AtomicBoolean diskLow = new AtomicBoolean();
  private final AtomicLong indexLag = new AtomicLong();
  private final AtomicLong rollupLag = new AtomicLong();
  private final LagAdmission admission = new LagAdmission(diskLow::get, indexLag::get, rollupLag::get, 1000);

  @Test
  void aLagUpToTheCapAdmitsEveryBatch() {
    indexLag.set(1000);
    rollupLag.set(1000);
    assertNull(admission.check(false));
    assertNull(admission.check(true));
  }

  @Test
  void pastTheCapOnlyABatchAdmittedBeforeParsingGetsIn() {
    indexLag.set(1500);
    assertEquals("indexing is 1500 events behind", admission.check(false).message());
    assertNull(admission.check(true));
    indexLag.set(2001);
    assertEquals(IngestPipeline.Reason.OVERLOADED, admission.check(true).reason());
  }

  @Test
  void rollupsBehindCountLikeIndexingBehind() {
    rollupLag.set(1500);
    assertEquals("rollups are 1500 events behind", admission.check(false).message());
    assertNull(admission.check(true));
    rollupLag.set(2001);
    assertEquals(IngestPipeline.Reason.OVERLOADED, admission.check(true).reason());
  }

  @Test
  void lowDiskRefusesEvenABatchAdmittedBeforeParsing() {
    diskLow.set(true);
    assertEquals(IngestPipeline.Reason.DISK_FULL, admission.check(false).reason());
    assertEquals(IngestPipeline.Reason.DISK_FULL, admission.check(true).reason());
  }
}
