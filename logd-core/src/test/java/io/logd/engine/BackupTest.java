package io.logd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.config.LogdConfig;
import io.logd.event.EventId;
import io.logd.event.LogEvent;
import io.logd.ingest.IngestPipeline;
import io.logd.query.TimeRange;
import io.logd.rollup.Section;
import io.logd.store.Retention;
import io.logd.testing.TestEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online backup and verify over a real engine: RocksDB checkpoint, Lucene snapshots, replay on open. */
class BackupTest {
  static final long DAY = 86_400_000_000_000L;
  static final int T = Logd.DEFAULT_TENANT;

  @TempDir Path tmp;

  static LogdConfig config(Path dataDir) {
    return LogdConfig.defaults().withDataDir(dataDir);
  }

  /** Midnight (UTC) of yesterday: the tests' events span yesterday and today, inside retention. */
  static long yesterday() {
    return Retention.dayStartNanos(LocalDate.now(ZoneOffset.UTC).minusDays(1));
  }

  /** Ingests {@code n} events from {@code start}, {@code step} apart, and answers their IDs once acked. */
  static List<EventId> ingest(Logd logd, SplittableRandom rnd, long start, long step, int n) throws Exception {
    List<LogEvent> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(TestEvents.nginx(rnd, start + i * step, i));
    }
    while (true) {
      switch (logd.ingest(T, batch)) {
        case IngestPipeline.Accepted a -> {
          long first = a.ack().get(30, TimeUnit.SECONDS).firstSeq();
          List<EventId> ids = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            ids.add(new EventId(batch.get(i).timestampNanos(), first + i));
          }
          return ids;
        }
        case IngestPipeline.Rejected r -> {
          assertEquals(IngestPipeline.Reason.OVERLOADED, r.reason(), r.message());
          Thread.sleep(5); // the indexer is behind: retry, like a client would
        }
      }
    }
  }

  static long rollupTotal(Logd logd) throws Exception {
    logd.rollups().orElseThrow().awaitCounted();
    return logd.rollups().orElseThrow()
        .aggregate(T, 0, Long.MAX_VALUE / 60_000_000_000L, EnumSet.of(Section.COUNTS)).total();
  }

  @Test
  void backupTakenWhileIngestingHoldsEveryEventAckedBeforeItAndOpensConsistent() throws Exception {
    Path data = tmp.resolve("data");
    Path backup = tmp.resolve("backup");
    List<EventId> acked = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(7);
    long start = yesterday();
    AtomicBoolean stop = new AtomicBoolean();
    List<EventId> ackedByWriter = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Exception> writerFailure = new AtomicReference<>();
    try (Logd logd = Logd.builder().config(config(data)).open()) {
      // Two days of events, part of them committed to Lucene and part only in the NRT buffer.
      acked.addAll(ingest(logd, rnd, start, 20_000_000_000L, 3_000));
      logd.index().commitNow();
      acked.addAll(ingest(logd, rnd, start + DAY, 20_000_000_000L, 2_000));

      Thread writer = Thread.ofPlatform().name("test-writer").start(() -> {
        SplittableRandom r = new SplittableRandom(8);
        try {
          while (!stop.get()) {
            ackedByWriter.addAll(ingest(logd, r, start + r.nextLong(2 * DAY - 1_000), 1_000, 200));
          }
        } catch (Exception e) {
          writerFailure.set(e);
        }
      });
      while (ackedByWriter.size() < 1_000 && writer.isAlive()) {
        Thread.sleep(1);
      }
      acked.addAll(List.copyOf(ackedByWriter)); // acked before the backup starts
      Backup b = logd.backup(backup);
      boolean ingestingThroughout = writer.isAlive();
      stop.set(true);
      writer.join();
      assertEquals(null, writerFailure.get());
      assertEquals(backup, b.dir());
      assertTrue(b.bytes() > 0);
      assertTrue(ingestingThroughout, "the backup ran while events were being ingested");
      assertTrue(logd.verify().ok(), () -> "source: " + verifyText(logd));
    }

    // The index copy never holds an event the store copy lacks: it is taken first.
    long copiedDocs = 0;
    try (Stream<Path> days = Files.list(backup.resolve("index"))) {
      for (Path day : days.toList()) {
        try (FSDirectory d = FSDirectory.open(day); DirectoryReader r = DirectoryReader.open(d)) {
          copiedDocs += r.numDocs();
        }
      }
    }
    assertFalse(Files.exists(backup.resolve("logd.lock")));

    try (Logd restored = Logd.builder().config(config(backup)).open()) {
      for (EventId id : acked) {
        assertTrue(restored.get(T, id).isPresent(), () -> "acked before the backup but missing: " + id.hex());
      }
      long stored = restored.store().count(T, 0, Long.MAX_VALUE);
      assertTrue(stored >= acked.size(), "stored " + stored);
      assertTrue(copiedDocs <= stored, copiedDocs + " docs copied, " + stored + " events stored");
      restored.index().awaitSearchable();
      assertEquals(stored, restored.searcher().count(T, "", TimeRange.ALL));
      assertEquals(stored, rollupTotal(restored));
      Verification v = restored.verify();
      assertTrue(v.ok(), v.problems()::toString);
      Verification.TenantCheck check = v.tenants().stream().filter(c -> c.tenant() == T).findFirst().orElseThrow();
      assertEquals(stored, check.events());
      assertEquals(stored, check.indexed());
      assertEquals(stored, check.rolledUp().orElseThrow());
      assertEquals(0, check.undecodable());
      // The restored engine takes new events like any other.
      ingest(restored, rnd, start + DAY, 1, 10);
      assertTrue(restored.verify().ok());
    }
  }

  static String verifyText(Logd logd) {
    try {
      return logd.verify().toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  @Test
  void verifyNamesTheDayWhoseEventsTheIndexLacks() throws Exception {
    long start = yesterday();
    LocalDate firstDay = LocalDate.ofEpochDay(start / DAY);
    try (Logd logd = Logd.builder().config(config(tmp.resolve("data"))).open()) {
      SplittableRandom rnd = new SplittableRandom(3);
      ingest(logd, rnd, start, 1_000_000_000L, 1_200);
      ingest(logd, rnd, start + DAY, 1_000_000_000L, 300);
      Verification ok = logd.verify();
      assertTrue(ok.ok(), ok.problems()::toString);
      assertEquals(1_500, ok.tenants().stream().filter(c -> c.tenant() == T).findFirst().orElseThrow().events());

      // Bypass the store: the first day's documents go, its events stay.
      logd.index().deleteBefore(T, start + DAY);
      Verification bad = logd.verify();
      assertFalse(bad.ok());
      assertEquals(List.of("tenant default, day " + firstDay + ": 1,200 events stored but 0 indexed"), bad.problems());
      Verification.TenantCheck check = bad.tenants().stream().filter(c -> c.tenant() == T).findFirst().orElseThrow();
      assertEquals(1_500, check.events());
      assertEquals(300, check.indexed());
      assertEquals(1_500, check.rolledUp().orElseThrow());

      // A reindex from the store repairs it.
      logd.index().reindex();
      assertTrue(logd.verify().ok());
    }
  }

  @Test
  void verifyWithRollupsOffLeavesThemOut() throws Exception {
    LogdConfig d = config(tmp.resolve("data"));
    LogdConfig noRollups = new LogdConfig(d.dataDir(), d.http(), d.syslog(), d.auth(), d.ingest(), d.storage(),
        d.index(), new LogdConfig.Rollups(false, d.rollups().flushInterval(), d.rollups().maxOpenMinutes(),
            d.rollups().maxKeys()));
    try (Logd logd = Logd.builder().config(noRollups).open()) {
      ingest(logd, new SplittableRandom(1), yesterday(), 1_000_000_000L, 50);
      Verification v = logd.verify();
      assertTrue(v.ok(), v.problems()::toString);
      Verification.TenantCheck check = v.tenants().stream().filter(c -> c.tenant() == T).findFirst().orElseThrow();
      assertEquals(50, check.indexed());
      assertTrue(check.rolledUp().isEmpty());
    }
  }

  @Test
  void backupRefusesDirectoriesItCannotFillCleanly() throws Exception {
    Path data = tmp.resolve("data");
    try (Logd logd = Logd.builder().config(config(data)).open()) {
      Path full = Files.createDirectories(tmp.resolve("full"));
      Files.writeString(full.resolve("keep.txt"), "x");
      Path file = Files.writeString(tmp.resolve("file"), "x");
      for (Path bad : List.of(Path.of("relative/dir"), full, file, data.resolve("backup"), data)) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> logd.backup(bad));
        assertTrue(e.getMessage().contains(bad.toString().replace("relative/dir", "relative")), e.getMessage());
      }
      assertEquals(List.of(full.resolve("keep.txt")), Files.list(full).toList());
      assertFalse(Files.exists(data.resolve("backup")));

      // An empty directory is fine, and so is one that does not exist yet (parents included).
      Path empty = Files.createDirectories(tmp.resolve("empty"));
      assertInstanceOf(Backup.class, logd.backup(empty));
      assertTrue(Files.isDirectory(logd.backup(tmp.resolve("a/b/c")).dir().resolve("store")));
    }
  }
}
