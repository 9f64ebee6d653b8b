package io.logd.engine;

import io.logd.ingest.IngestPipeline;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The engine's ingest admission: refuses while free disk is below the floor, or while indexing or
 * the rollups are more than {@code maxLag} events behind, so "searchable soon after the ack" holds
 * under sustained overload too. A batch admitted before it was parsed may take the lag to twice
 * {@code maxLag}: past the cap only because other batches were parsed at the same time.
 */
record LagAdmission(BooleanSupplier diskLow, LongSupplier indexLag, LongSupplier rollupLag, long maxLag)
    implements IngestPipeline.Admission {

  @Override
  public IngestPipeline.Rejected check(boolean admittedEarlier) {
    if (diskLow.getAsBoolean()) {
      return new IngestPipeline.Rejected(
          IngestPipeline.Reason.DISK_FULL, "free disk space is below storage.min_free_disk");
    }
    long cap = admittedEarlier ? 2 * maxLag : maxLag;
    long index = indexLag.getAsLong();
    if (index > cap) {
      return new IngestPipeline.Rejected(IngestPipeline.Reason.OVERLOADED, "indexing is " + index + " events behind");
    }
    long rollups = rollupLag.getAsLong();
    if (rollups > cap) {
      return new IngestPipeline.Rejected(IngestPipeline.Reason.OVERLOADED, "rollups are " + rollups + " events behind");
    }
    return null;
  }
}
