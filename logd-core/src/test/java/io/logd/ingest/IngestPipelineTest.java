package io.logd.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.EventId;
import io.logd.event.LogEvent;
import io.logd.store.EventStore;
import io.logd.store.StoreOptions;
import io.logd.testing.TestEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestPipelineTest {
  @TempDir Path dir;

  static final long T0 = 1_795_000_000_000_000_000L;

  static List<LogEvent> batch(SplittableRandom rnd, int n, long base) {
    List<LogEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(TestEvents.nginx(rnd, T0 + base + i, base + i));
    }
    return out;
  }

  @Test
  void concurrentBatchesShareGroupCommitsAndEveryAckedEventIsStored() throws Exception {
    int threads = 8;
    int batchesPerThread = 200;
    int batchSize = 10;
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      ConcurrentLinkedQueue<long[]> groupSizes = new ConcurrentLinkedQueue<>();
      IngestPipeline p = IngestPipeline.start(
          store, new IngestPipeline.Options(1 << 20, 65536, AckMode.DURABLE), IngestPipeline.Admission.OPEN,
          List.of(g -> groupSizes.add(new long[] {g.size(), g.lastSeq()})));
      List<Thread> producers = new ArrayList<>();
      ConcurrentLinkedQueue<CompletableFuture<IngestPipeline.Ack>> acks = new ConcurrentLinkedQueue<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        producers.add(Thread.ofPlatform().start(() -> {
          SplittableRandom rnd = new SplittableRandom(thread);
          for (int b = 0; b < batchesPerThread; b++) {
            long base = ((long) thread * batchesPerThread + b) * batchSize;
            IngestPipeline.Offer offer = p.offer(1, batch(rnd, batchSize, base));
            acks.add(assertInstanceOf(IngestPipeline.Accepted.class, offer).ack());
          }
        }));
      }
      for (Thread t : producers) {
        t.join();
      }
      Set<Long> seqs = new HashSet<>();
      for (CompletableFuture<IngestPipeline.Ack> f : acks) {
        IngestPipeline.Ack ack = f.get(30, TimeUnit.SECONDS);
        assertEquals(batchSize, ack.count());
        for (int i = 0; i < ack.count(); i++) {
          assertTrue(seqs.add(ack.firstSeq() + i), "seq handed out twice");
        }
      }
      p.close();
      int total = threads * batchesPerThread * batchSize;
      assertEquals(total, seqs.size());
      IngestPipeline.Stats stats = p.stats();
      assertEquals(total, stats.committedEvents());
      // Group commit: batches waiting together share one write and one fsync.
      assertTrue(stats.groups() < threads * batchesPerThread,
          "expected fewer groups than batches, got " + stats.groups());
      assertEquals(stats.groups(), stats.syncs(), "durable groups each fsync once");
      assertEquals(stats.groups(), groupSizes.size(), "listeners see every group once");
      long[] count = {0};
      Set<Long> ns = new HashSet<>();
      store.scan(1, 0, Long.MAX_VALUE, false, e -> {
        count[0]++;
        ns.add(((io.logd.event.FieldValue.LongValue) e.event().fields().get("n")).value());
        return true;
      });
      assertEquals(total, count[0]);
      assertEquals(total, ns.size(), "every event exactly once");
    }
  }

  @Test
  void ackCarriesTheSeqsThatIdentifyTheEvents() throws Exception {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      try (IngestPipeline p = IngestPipeline.start(
          store, new IngestPipeline.Options(1000, 1000, AckMode.DURABLE), IngestPipeline.Admission.OPEN, List.of())) {
        List<LogEvent> events = batch(new SplittableRandom(3), 5, 0);
        IngestPipeline.Accepted a = (IngestPipeline.Accepted) p.offer(7, events);
        IngestPipeline.Ack ack = a.ack().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
          EventId id = new EventId(events.get(i).timestampNanos(), ack.firstSeq() + i);
          assertEquals(events.get(i), store.get(7, id).orElseThrow().event());
        }
      }
    }
  }

  @Test
  void fullQueueAnswersOverloadedAndNothingOfThatBatchIsStored() throws Exception {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch writerBusy = new CountDownLatch(1);
      // A listener that holds the writer lets the queue fill deterministically.
      IngestPipeline p = IngestPipeline.start(
          store, new IngestPipeline.Options(100, 1000, AckMode.DURABLE), IngestPipeline.Admission.OPEN,
          List.of(g -> {
            writerBusy.countDown();
            awaitQuietly(release);
          }));
      SplittableRandom rnd = new SplittableRandom(1);
      IngestPipeline.Accepted first = (IngestPipeline.Accepted) p.offer(1, batch(rnd, 10, 0));
      assertTrue(writerBusy.await(10, TimeUnit.SECONDS));
      IngestPipeline.Accepted queued = (IngestPipeline.Accepted) p.offer(1, batch(rnd, 90, 10));
      IngestPipeline.Offer refused = p.offer(1, batch(rnd, 20, 100));
      IngestPipeline.Rejected r = assertInstanceOf(IngestPipeline.Rejected.class, refused);
      assertEquals(IngestPipeline.Reason.OVERLOADED, r.reason());
      assertEquals(1, p.stats().rejectedOverloaded());
      release.countDown();
      first.ack().get(10, TimeUnit.SECONDS);
      queued.ack().get(10, TimeUnit.SECONDS);
      p.close();
      long[] count = {0};
      store.scan(1, 0, Long.MAX_VALUE, false, e -> ++count[0] > 0);
      assertEquals(100, count[0]);
    }
  }

  @Test
  void oversizedBatchIsAdmittedIntoAnEmptyQueue() throws Exception {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS);
        IngestPipeline p = IngestPipeline.start(
            store, new IngestPipeline.Options(10, 5, AckMode.FAST), IngestPipeline.Admission.OPEN, List.of())) {
      IngestPipeline.Accepted a = (IngestPipeline.Accepted) p.offer(1, batch(new SplittableRandom(2), 50, 0));
      assertEquals(50, a.ack().get(10, TimeUnit.SECONDS).count());
    }
  }

  @Test
  void lowDiskRefusesIngest() throws Exception {
    AtomicBoolean low = new AtomicBoolean(true);
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS);
        IngestPipeline p = IngestPipeline.start(
            store, new IngestPipeline.Options(10, 5, AckMode.DURABLE), admittedEarlier -> low.get() ? new IngestPipeline.Rejected(IngestPipeline.Reason.DISK_FULL, "disk") : null, List.of())) {
      IngestPipeline.Rejected r =
          assertInstanceOf(IngestPipeline.Rejected.class, p.offer(1, batch(new SplittableRandom(2), 1, 0)));
      assertEquals(IngestPipeline.Reason.DISK_FULL, r.reason());
      // the check a caller makes before parsing a batch gives the same answer and is counted
      assertEquals(IngestPipeline.Reason.DISK_FULL, p.refusal().orElseThrow().reason());
      assertEquals(2, p.stats().rejectedDiskFull());
      low.set(false);
      assertTrue(p.refusal().isEmpty());
      assertInstanceOf(IngestPipeline.Accepted.class, p.offer(1, batch(new SplittableRandom(2), 1, 0)));
    }
  }

  @Test
  void aBatchAdmittedBeforeParsingIsJudgedByTheLooserBound() throws Exception {
    // stands in for an index lag between the cap and twice the cap, then past twice the cap
    AtomicBoolean pastTwice = new AtomicBoolean(false);
    IngestPipeline.Admission lagging = admittedEarlier -> admittedEarlier && !pastTwice.get()
        ? null : new IngestPipeline.Rejected(IngestPipeline.Reason.OVERLOADED, "indexing is behind");
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS);
        IngestPipeline p = IngestPipeline.start(
            store, new IngestPipeline.Options(1000, 1000, AckMode.DURABLE), lagging, List.of())) {
      assertInstanceOf(IngestPipeline.Rejected.class, p.offer(1, batch(new SplittableRandom(3), 2, 0)));
      IngestPipeline.Accepted a = assertInstanceOf(IngestPipeline.Accepted.class,
          p.offerAdmitted(1, batch(new SplittableRandom(4), 2, 10)));
      assertEquals(2, a.ack().get(10, TimeUnit.SECONDS).count());
      pastTwice.set(true);
      IngestPipeline.Rejected r = assertInstanceOf(IngestPipeline.Rejected.class,
          p.offerAdmitted(1, batch(new SplittableRandom(5), 2, 20)));
      assertEquals(IngestPipeline.Reason.OVERLOADED, r.reason());
      assertEquals(2, p.stats().rejectedOverloaded());
      assertEquals(2, p.stats().committedEvents());
    }
  }

  @Test
  void fastAckSkipsTheFsync() throws Exception {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS);
        IngestPipeline p = IngestPipeline.start(
            store, new IngestPipeline.Options(1000, 1000, AckMode.FAST), IngestPipeline.Admission.OPEN, List.of())) {
      for (int i = 0; i < 10; i++) {
        ((IngestPipeline.Accepted) p.offer(1, batch(new SplittableRandom(i), 3, i * 3))).ack().get(10, TimeUnit.SECONDS);
      }
      assertEquals(0, p.stats().syncs());
      ((IngestPipeline.Accepted) p.offer(1, batch(new SplittableRandom(1), 1, 100), AckMode.DURABLE))
          .ack().get(10, TimeUnit.SECONDS);
      assertEquals(1, p.stats().syncs());
    }
  }

  @Test
  void closeWritesWhatIsQueuedThenRefuses() throws Exception {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      IngestPipeline p = IngestPipeline.start(
          store, new IngestPipeline.Options(1 << 20, 1000, AckMode.DURABLE), IngestPipeline.Admission.OPEN, List.of());
      List<CompletableFuture<IngestPipeline.Ack>> acks = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        acks.add(((IngestPipeline.Accepted) p.offer(1, batch(new SplittableRandom(i), 10, i * 10L))).ack());
      }
      p.close();
      for (CompletableFuture<IngestPipeline.Ack> a : acks) {
        assertTrue(a.isDone() && !a.isCompletedExceptionally(), "queued work is written before close returns");
      }
      IngestPipeline.Rejected r =
          assertInstanceOf(IngestPipeline.Rejected.class, p.offer(1, batch(new SplittableRandom(1), 1, 0)));
      assertEquals(IngestPipeline.Reason.CLOSED, r.reason());
      assertEquals(1000, store.lastSeq());
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
