package io.logd.ingest;

import io.logd.event.LogEvent;
import io.logd.store.CommitGroup;
import io.logd.store.EventCodec;
import io.logd.store.EventStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The path from accepted events to the store: a bounded queue, one writer thread and group commit.
 *
 * <p>Callers {@link #offer} a batch. Events are encoded on the caller's thread, so the writer only
 * assigns seqs and writes. The writer takes every batch waiting (up to {@code maxGroupEvents}),
 * writes them as one RocksDB WriteBatch with one WAL fsync, and only then completes each batch's
 * ack future and hands the group to the commit listeners. A group is fsync'd when any batch in it
 * asked for {@link AckMode#DURABLE}.
 *
 * <p>Ack futures complete on the writer thread: dependants must not block (hand off to an event
 * loop or executor).
 */
public final class IngestPipeline implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(IngestPipeline.class.getName());

  /**
   * Pipeline settings.
   *
   * @param queueEvents events that may wait in the queue before offers are refused
   * @param maxGroupEvents most events one group commit writes (a larger single batch is one group)
   * @param defaultAck the ack mode of {@link #offer(int, List)}
   */
  public record Options(int queueEvents, int maxGroupEvents, AckMode defaultAck) {
    public Options {
      if (queueEvents < 1 || maxGroupEvents < 1) {
        throw new IllegalArgumentException("queue and group sizes must be positive");
      }
      Objects.requireNonNull(defaultAck, "defaultAck");
    }
  }

  /**
   * Decides, before any work, whether an offer may enter: returns null to admit, or the rejection
   * (disk nearly full, indexing too far behind). Called on the offering thread; must be cheap.
   * {@code admittedEarlier} is true for an offer whose {@link #refusal()} was already empty before
   * the caller parsed it: refuse it only past a looser bound, so that parsing is not thrown away.
   */
  @FunctionalInterface
  public interface Admission {
    Admission OPEN = admittedEarlier -> null;

    Rejected check(boolean admittedEarlier);
  }

  /** Receives each group after it is committed, on the writer thread. Must not block. */
  @FunctionalInterface
  public interface CommitListener {
    void onCommit(CommitGroup group);
  }

  /** What an offer came to. */
  public sealed interface Offer permits Accepted, Rejected {}

  /** The batch is queued; {@code ack} completes after the write (or fails with an IOException). */
  public record Accepted(CompletableFuture<Ack> ack) implements Offer {}

  /** The batch was not queued; nothing of it is stored. */
  public record Rejected(Reason reason, String message) implements Offer {}

  public enum Reason {
    /** The queue is full: retry later (HTTP 503 with Retry-After, TCP stops reading). */
    OVERLOADED,
    /** Free disk space is below the configured floor. */
    DISK_FULL,
    /** The pipeline is shutting down. */
    CLOSED
  }

  /** A completed write: the batch's events have seqs {@code firstSeq .. firstSeq+count-1}. */
  public record Ack(long firstSeq, int count) {}

  /** Counters since start. */
  public record Stats(
      long committedEvents, long groups, long syncs, long rejectedOverloaded, long rejectedDiskFull,
      int queuedEvents) {}

  private static final class Batch {
    final int tenant;
    final long[] times;
    final byte[][] values;
    final List<LogEvent> events;
    final boolean durable;
    final CompletableFuture<Ack> ack = new CompletableFuture<>();

    Batch(int tenant, long[] times, byte[][] values, List<LogEvent> events, boolean durable) {
      this.tenant = tenant;
      this.times = times;
      this.values = values;
      this.events = events;
      this.durable = durable;
    }
  }

  private final EventStore store;
  private final Options options;
  private final Admission admission;
  private final List<CommitListener> listeners;
  private final LinkedBlockingQueue<Batch> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
  private final Thread writer;
  private volatile boolean closed;

  private final AtomicLong committedEvents = new AtomicLong();
  private final AtomicLong groups = new AtomicLong();
  private final AtomicLong syncs = new AtomicLong();
  private final AtomicLong rejectedOverloaded = new AtomicLong();
  private final AtomicLong rejectedDiskFull = new AtomicLong();
  /** Nanoseconds per group commit: the RocksDB write plus its fsync. */
  private final Recorder commitNanos = new Recorder(3);

  private IngestPipeline(
      EventStore store, Options options, Admission admission, List<CommitListener> listeners) {
    this.store = store;
    this.options = options;
    this.admission = admission;
    this.listeners = List.copyOf(listeners);
    this.writer = Thread.ofPlatform().name("logd-writer").unstarted(this::runWriter);
  }

  /**
   * Starts the writer thread.
   *
   * @param admission refuses offers while the engine cannot take them (disk, index lag)
   */
  public static IngestPipeline start(
      EventStore store, Options options, Admission admission, List<CommitListener> listeners) {
    IngestPipeline p = new IngestPipeline(store, options, admission, listeners);
    p.writer.start();
    return p;
  }

  /** Offers a batch with the default ack mode. */
  public Offer offer(int tenant, List<LogEvent> events) {
    return offer(tenant, events, options.defaultAck());
  }

  /**
   * The refusal an offer made now would get before any work (disk, lag, a full queue), counted
   * as a refused offer; empty when it would be admitted. Lets a caller skip parsing a batch the
   * pipeline cannot take. Nothing is reserved, so the offer itself may still be refused.
   */
  public Optional<Rejected> refusal() {
    Rejected refused = admissionRefusal(false);
    if (refused != null) {
      return Optional.of(refused);
    }
    if (queued.get() >= options.queueEvents()) {
      return Optional.of(queueFull());
    }
    if (closed) {
      return Optional.of(new Rejected(Reason.CLOSED, "logd is shutting down"));
    }
    return Optional.empty();
  }

  /**
   * Offers a batch of one tenant's events. Never blocks on the queue: a full queue answers
   * {@link Reason#OVERLOADED} at once. A batch larger than the whole queue is admitted only into an
   * empty queue, so it cannot starve.
   */
  public Offer offer(int tenant, List<LogEvent> events, AckMode ack) {
    return offer(tenant, events, ack, false);
  }

  /**
   * Offers a batch that {@link #refusal()} admitted before the caller parsed it. The admission is
   * asked with {@code admittedEarlier} set, so a batch that passed the check is not refused for a
   * limit that other batches reached while it was being parsed (the engine allows such batches
   * twice its index lag cap). The queue bound and closing refuse as in {@link #offer}.
   */
  public Offer offerAdmitted(int tenant, List<LogEvent> events) {
    return offer(tenant, events, options.defaultAck(), true);
  }

  private Offer offer(int tenant, List<LogEvent> events, AckMode ack, boolean admittedEarlier) {
    int n = events.size();
    if (n == 0) {
      return new Accepted(CompletableFuture.completedFuture(new Ack(store.lastSeq() + 1, 0)));
    }
    Rejected refused = admissionRefusal(admittedEarlier);
    if (refused != null) {
      return refused;
    }
    if (!reserve(n)) {
      return queueFull();
    }
    long[] times = new long[n];
    byte[][] values = new byte[n][];
    EventCodec codec = EventCodec.local();
    try {
      for (int i = 0; i < n; i++) {
        LogEvent e = events.get(i);
        times[i] = e.timestampNanos();
        values[i] = codec.encode(e);
      }
    } catch (RuntimeException e) {
      queued.addAndGet(-n); // give the reservation back; nothing of the batch was queued
      throw e;
    }
    Batch batch = new Batch(tenant, times, values, events, ack == AckMode.DURABLE);
    closeLock.readLock().lock();
    try {
      if (closed) {
        queued.addAndGet(-n);
        return new Rejected(Reason.CLOSED, "logd is shutting down");
      }
      queue.add(batch);
    } finally {
      closeLock.readLock().unlock();
    }
    return new Accepted(batch.ack);
  }

  /** The admission's refusal, counted by its reason; null when admitted. */
  private Rejected admissionRefusal(boolean admittedEarlier) {
    Rejected refused = admission.check(admittedEarlier);
    if (refused != null) {
      (refused.reason() == Reason.DISK_FULL ? rejectedDiskFull : rejectedOverloaded).incrementAndGet();
    }
    return refused;
  }

  /** The refusal for a full queue, counted. */
  private Rejected queueFull() {
    rejectedOverloaded.incrementAndGet();
    return new Rejected(Reason.OVERLOADED, "ingest queue is full (" + queued.get() + " events waiting)");
  }

  private boolean reserve(int n) {
    while (true) {
      int cur = queued.get();
      if (cur > 0 && (long) cur + n > options.queueEvents()) {
        return false;
      }
      if (queued.compareAndSet(cur, cur + n)) {
        return true;
      }
    }
  }

  private void runWriter() {
    List<Batch> taken = new ArrayList<>();
    while (true) {
      Batch first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (first == null) {
        if (closed && queue.isEmpty()) {
          break;
        }
        continue;
      }
      taken.clear();
      taken.add(first);
      int events = first.values.length;
      Batch next;
      while (events < options.maxGroupEvents()
          && (next = queue.peek()) != null
          && events + next.values.length <= options.maxGroupEvents()) {
        taken.add(queue.poll());
        events += next.values.length;
      }
      commit(taken, events);
    }
    failLeftovers();
  }

  private void commit(List<Batch> taken, int events) {
    CommitGroup group = new CommitGroup(events);
    boolean sync = false;
    for (Batch b : taken) {
      for (int i = 0; i < b.values.length; i++) {
        group.add(b.tenant, b.times[i], b.values[i], b.events.get(i));
      }
      sync |= b.durable;
    }
    long firstSeq;
    long start = System.nanoTime();
    try {
      firstSeq = store.commit(group, sync);
      commitNanos.recordValue(System.nanoTime() - start);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "store write failed; failing " + events + " events", e);
      queued.addAndGet(-events);
      for (Batch b : taken) {
        b.ack.completeExceptionally(e);
      }
      return;
    }
    queued.addAndGet(-events);
    committedEvents.addAndGet(events);
    groups.incrementAndGet();
    if (sync) {
      syncs.incrementAndGet();
    }
    // Listeners first: once a sender holds its ack, the events are already on their way to
    // the index, so "wait until searchable" after an ack is well defined.
    for (CommitListener l : listeners) {
      try {
        l.onCommit(group);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "commit listener failed", e);
      }
    }
    long seq = firstSeq;
    for (Batch b : taken) {
      b.ack.complete(new Ack(seq, b.values.length));
      seq += b.values.length;
    }
  }

  private void failLeftovers() {
    Batch b;
    while ((b = queue.poll()) != null) {
      queued.addAndGet(-b.values.length);
      b.ack.completeExceptionally(new IOException("logd is shutting down"));
    }
  }

  /**
   * The group-commit latencies (write plus fsync, in ns) recorded since the previous call. Meant for
   * one reader, the metrics endpoint.
   */
  public Histogram takeCommitLatency() {
    return commitNanos.getIntervalHistogram();
  }

  public int queuedEvents() {
    return queued.get();
  }

  public Stats stats() {
    return new Stats(
        committedEvents.get(), groups.get(), syncs.get(), rejectedOverloaded.get(),
        rejectedDiskFull.get(), queued.get());
  }

  /**
   * Stops accepting, writes everything already queued, and stops the writer. Idempotent; returns
   * when the writer has finished.
   */
  @Override
  public void close() {
    closeLock.writeLock().lock();
    try {
      closed = true;
    } finally {
      closeLock.writeLock().unlock();
    }
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
