package io.logd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.config.LogdConfig;
import io.logd.event.EventId;
import io.logd.event.LogEvent;
import io.logd.ingest.IngestPipeline;
import io.logd.testing.TestEvents;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogdTest {
  @TempDir Path dir;

  static LogdConfig config(Path dataDir) {
    LogdConfig d = LogdConfig.defaults();
    return d.withDataDir(dataDir);
  }

  @Test
  void secondOpenOfTheSameDataDirIsRefusedClearly() throws Exception {
    try (Logd logd = Logd.builder().config(config(dir)).open()) {
      DataDirInUseException e =
          assertThrows(DataDirInUseException.class, () -> Logd.builder().config(config(dir)).open());
      assertTrue(e.getMessage().contains("already in use"), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
      assertTrue(logd.health().storeOk());
    }
    // Released on close: a new engine opens.
    Logd.builder().config(config(dir)).open().close();
  }

  @Test
  void ingestedEventsAreReadableAfterReopen() throws Exception {
    LogEvent e = TestEvents.nginx(new SplittableRandom(1), 1_795_000_000_000_000_000L, 1);
    EventId id;
    try (Logd logd = Logd.builder().config(config(dir)).open()) {
      IngestPipeline.Accepted a = assertInstanceOf(IngestPipeline.Accepted.class, logd.ingest(Logd.DEFAULT_TENANT, List.of(e)));
      id = new EventId(e.timestampNanos(), a.ack().get(10, TimeUnit.SECONDS).firstSeq());
      assertEquals(e, logd.get(Logd.DEFAULT_TENANT, id).orElseThrow().event());
    }
    try (Logd logd = Logd.builder().config(config(dir)).open()) {
      assertEquals(e, logd.get(Logd.DEFAULT_TENANT, id).orElseThrow().event());
      int[] n = {0};
      logd.scan(Logd.DEFAULT_TENANT, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), true, s -> ++n[0] > 0);
      assertEquals(1, n[0]);
      assertTrue(logd.health().diskFreeBytes() > 0);
    }
  }

  @Test
  void ingestIsRefusedWhileFreeDiskIsBelowTheFloor() throws Exception {
    LogdConfig d = LogdConfig.defaults();
    LogdConfig.Storage storage = new LogdConfig.Storage(d.storage().retention(), Long.MAX_VALUE, d.storage().rocksdb());
    LogdConfig config = new LogdConfig(dir, d.http(), d.syslog(), d.auth(), d.ingest(), storage, d.index(), d.rollups());
    try (Logd logd = Logd.builder().config(config).open()) {
      assertTrue(logd.health().diskLow());
      assertTrue(!logd.health().ok());
      IngestPipeline.Rejected r = assertInstanceOf(IngestPipeline.Rejected.class,
          logd.ingest(Logd.DEFAULT_TENANT, List.of(TestEvents.nginx(new SplittableRandom(1), 1, 1))));
      assertEquals(IngestPipeline.Reason.DISK_FULL, r.reason());
      assertTrue(r.message().contains("storage.min_free_disk"), r.message());
    }
  }
}
