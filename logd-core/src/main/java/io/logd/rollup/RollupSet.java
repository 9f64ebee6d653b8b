package io.logd.rollup;

import io.logd.event.LogEvent;
import io.logd.event.StoredEvent;
import io.logd.ingest.IngestPipeline;
import io.logd.ingest.WorkQueue;
import io.logd.store.CommitGroup;
import io.logd.store.EventStore;
import io.logd.store.Keys;
import io.logd.store.Retention;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-minute rollups of every tenant: accumulated from committed groups on a thread of their
 * own, flushed into the {@code rollups} column family, and read back by span or by time bucket.
 *
 * <p><b>Rows.</b> A flush adds each open minute to its minute, hour and day rows (read, merge,
 * write), one row per {@link Section}, and writes them with the checkpoint seq in one WriteBatch.
 * Every seq at or below {@link #checkpointSeq()} is therefore counted exactly once; on open, the
 * events of {@code pending} above it are counted again into memory. A flush runs at least every
 * {@code flushIntervalMillis}, and as soon as a tenant has more than {@code maxOpenMinutes}
 * minutes open (late and back-filled events open old minutes).
 *
 * <p><b>Reads</b> take a RocksDB snapshot and the unwritten minutes under one lock, so an answer counts
 * every accumulated event exactly once, flushed or not. A span is read as day rows for its whole
 * days, hour rows for its whole hours and minute rows for the rest.
 *
 * <p><b>Caps.</b> A row keeps at most {@code maxKeys} distinct keys per count section (the rest in
 * {@link Rollup#overflow}); top-K rows keep 100 entries per minute and 1,000 per hour or day.
 */
public final class RollupSet implements Closeable, IngestPipeline.CommitListener, Retention.DayListener {
  private static final System.Logger LOG = System.getLogger(RollupSet.class.getName());
  static final String CHECKPOINT = "checkpoint/rollups";
  private static final long MINUTE_NANOS = 60_000_000_000L;
  private static final Set<Section> ALL = EnumSet.allOf(Section.class);

  /**
   * Rollup settings.
   *
   * @param flushIntervalMillis longest time an accumulated event waits to be written
   * @param maxOpenMinutes open minutes (per tenant) held before a flush is forced
   * @param maxKeys distinct keys per count section per row
   */
  public record Options(long flushIntervalMillis, int maxOpenMinutes, int maxKeys) {
    public static final Options DEFAULTS = new Options(5_000, 16, 10_000);

    public Options {
      if (flushIntervalMillis < 1 || maxOpenMinutes < 1 || maxKeys < 1) {
        throw new IllegalArgumentException("rollup options must be positive");
      }
    }
  }

  private record MinuteKey(int tenant, long minute) {}

  private record RowKey(int tenant, Tier tier, long start) {}

  private final EventStore store;
  private final Options options;
  private final Object lock = new Object();
  /** Open minutes; guarded by {@link #lock}. */
  private final HashMap<MinuteKey, LiveMinute> open = new HashMap<>();
  /**
   * Finished minutes being written (or whose write failed and will be retried); guarded by {@link
   * #lock}, so that a read counts each minute once, before or after its write.
   */
  private final HashMap<MinuteKey, Rollup> flushing = new HashMap<>();
  /** Open minutes per tenant (worker thread), for the {@code maxOpenMinutes} cap. */
  private final HashMap<Integer, int[]> openPerTenant = new HashMap<>();
  private boolean flushDue;
  private final WorkQueue work = new WorkQueue();
  private final AtomicLong queuedEvents = new AtomicLong();
  private final Thread worker;
  private final RollupCodec.Out out = new RollupCodec.Out();
  /** Highest seq accumulated (worker thread). */
  private long processedSeq;
  private volatile long checkpointSeq;
  private volatile boolean closing;
  private volatile boolean failing;
  private int lastTenant = -1;
  private long lastMinute = -1;
  private LiveMinute lastLive;

  private RollupSet(EventStore store, Options options) {
    this.store = store;
    this.options = options;
    // Throughput work, like indexing: the lowest priority, so searches get a core first.
    this.worker = Thread.ofPlatform().name("logd-rollups").priority(Thread.MIN_PRIORITY).unstarted(this::run);
  }

  /**
   * Opens the rollups over {@code store}: counts the {@code pending} events above the checkpoint
   * again, or, when the store has events but no rollup checkpoint (first start with rollups),
   * queues a rebuild from every stored event. Call before the ingest pipeline starts.
   */
  public static RollupSet open(EventStore store, Options options) throws IOException {
    RollupSet set = new RollupSet(store, options);
    Optional<byte[]> checkpoint = store.getMeta(CHECKPOINT);
    if (checkpoint.isPresent()) {
      set.checkpointSeq = Keys.getLong(checkpoint.get(), 0);
      set.replayPending();
    } else {
      set.processedSeq = store.lastSeq();
      if (store.lastSeq() > 0) {
        LOG.log(System.Logger.Level.INFO, "no rollup checkpoint: rebuilding rollups from the stored events");
        set.work.add((WorkQueue.Task) set::rebuildAll);
      } else {
        set.flush();
      }
    }
    set.worker.start();
    return set;
  }

  /**
   * Forgets the rollup checkpoint of {@code store}, for when rollups are turned off: the next open
   * with them on then rebuilds them from the events instead of trusting stale rows.
   */
  public static void forget(EventStore store) throws IOException {
    if (store.getMeta(CHECKPOINT).isPresent()) {
      store.deleteMeta(CHECKPOINT);
    }
  }

  private void replayPending() throws IOException {
    long[] replayed = {0};
    long after = checkpointSeq;
    synchronized (lock) {
      store.forEachPendingAfter(after, key -> {
        if (Keys.seqOf(key) > after) {
          Optional<StoredEvent> e = store.getByKey(key);
          if (e.isPresent()) { // retention may have dropped it since
            accumulate(e.get().tenant(), e.get().id().timeNanos(), e.get().event());
            replayed[0]++;
          }
        }
        return true;
      });
      processedSeq = store.lastSeq();
    }
    flush();
    if (replayed[0] > 0) {
      LOG.log(System.Logger.Level.INFO, "counted {0} events into the rollups from pending", replayed[0]);
    }
  }

  @Override
  public void onCommit(CommitGroup group) {
    queuedEvents.addAndGet(group.size());
    work.add(group);
  }

  /** Events handed over but not yet counted. */
  public long lagEvents() {
    return queuedEvents.get();
  }

  /** Every seq at or below this is durably counted in the rollup rows. */
  public long checkpointSeq() {
    return checkpointSeq;
  }

  /** The worker runs and its last group and flush went through. */
  public boolean healthy() {
    return worker.isAlive() && !failing;
  }

  public Options options() {
    return options;
  }

  private void run() {
    long nextFlush = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.flushIntervalMillis());
    while (true) {
      Object item;
      try {
        item = work.poll(Math.min(100, options.flushIntervalMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        if (item instanceof CommitGroup g) {
          apply(g);
          if (flushDue) {
            flush();
          }
        } else if (item instanceof WorkQueue.Task t) {
          t.run();
        }
        if (System.nanoTime() >= nextFlush || (item == null && closing)) {
          flush();
          nextFlush = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.flushIntervalMillis());
        }
        failing = false;
      } catch (IOException | RuntimeException e) {
        failing = true;
        LOG.log(System.Logger.Level.ERROR, "rollup upkeep failed; the events stay in pending and are counted at restart", e);
      }
      if (item == null && closing && work.isEmpty()) {
        break;
      }
    }
  }

  /** Events counted per hold of the lock: a large group must not keep readers waiting. */
  private static final int APPLY_CHUNK = 1024;

  private void apply(CommitGroup g) {
    try {
      int n = g.size();
      for (int from = 0; from < n; from += APPLY_CHUNK) {
        synchronized (lock) {
          for (int i = from, to = Math.min(n, from + APPLY_CHUNK); i < to; i++) {
            accumulate(g.tenant(i), g.timeNanos(i), g.event(i));
          }
        }
      }
      processedSeq = g.lastSeq(); // only a flush reads it, on this thread
    } finally {
      queuedEvents.addAndGet(-g.size());
    }
  }

  /** Adds one event to its open minute. Holds {@link #lock}. */
  private void accumulate(int tenant, long timeNanos, LogEvent event) {
    long minute = Math.floorDiv(timeNanos, MINUTE_NANOS);
    LiveMinute live = lastLive;
    if (live == null || tenant != lastTenant || minute != lastMinute) {
      MinuteKey key = new MinuteKey(tenant, minute);
      live = open.get(key);
      if (live == null) {
        live = new LiveMinute(minute);
        open.put(key, live);
        if (++openPerTenant.computeIfAbsent(tenant, t -> new int[1])[0] > options.maxOpenMinutes()) {
          flushDue = true;
        }
      }
      lastLive = live;
      lastTenant = tenant;
      lastMinute = minute;
    }
    live.add(event, options.maxKeys());
  }

  /**
   * Writes the open minutes into their rows, with the checkpoint. Worker thread (or open). The
   * rows are read and merged without the lock (only this thread writes them); the lock is held to
   * hand the minutes over and to write, so readers never wait on the merging.
   */
  private void flush() throws IOException {
    long seq = processedSeq;
    synchronized (lock) {
      for (Map.Entry<MinuteKey, LiveMinute> e : open.entrySet()) {
        Rollup done = e.getValue().finish();
        flushing.merge(e.getKey(), done, (a, b) -> {
          a.merge(b, ALL, options.maxKeys(), Tier.MINUTE.topCapacity);
          return a;
        });
      }
      open.clear();
      lastLive = null;
    }
    openPerTenant.clear();
    flushDue = false;
    if (flushing.isEmpty()) {
      if (seq != checkpointSeq) {
        store.writeRollups(Map.of(), CHECKPOINT, Keys.seqKey(seq));
        checkpointSeq = seq;
      }
      return;
    }
    Map<RowKey, Rollup> rows = new LinkedHashMap<>();
    for (Map.Entry<MinuteKey, Rollup> e : flushing.entrySet()) {
      int tenant = e.getKey().tenant();
      long minute = e.getKey().minute();
      Rollup r = e.getValue();
      rows.put(new RowKey(tenant, Tier.MINUTE, minute), r);
      for (Tier tier : List.of(Tier.HOUR, Tier.DAY)) {
        long start = tier.startOf(minute);
        rows.computeIfAbsent(new RowKey(tenant, tier, start), k -> new Rollup(start))
            .merge(r, ALL, options.maxKeys(), 0);
      }
    }
    Map<byte[], byte[]> writes = new LinkedHashMap<>();
    for (Map.Entry<RowKey, Rollup> e : rows.entrySet()) {
      RowKey k = e.getKey();
      Rollup delta = e.getValue();
      for (Section s : Section.values()) {
        if (!delta.has(s)) {
          continue;
        }
        byte[] key = Keys.rollupKey(k.tenant(), k.tier().ordinal(), s.ordinal(), k.start());
        Rollup row = new Rollup(k.start());
        byte[] existing = store.getRollup(key);
        if (existing != null) {
          RollupCodec.mergeInto(row, s, existing, options.maxKeys(), k.tier().topCapacity);
        }
        row.merge(delta, EnumSet.of(s), options.maxKeys(), k.tier().topCapacity);
        RollupCodec.encode(row, s, out);
        writes.put(key, out.toBytes());
      }
    }
    synchronized (lock) {
      store.writeRollups(writes, CHECKPOINT, Keys.seqKey(seq));
      flushing.clear();
      checkpointSeq = seq;
    }
  }

  // ---------------------------------------------------------------- reads

  /**
   * The aggregate of one tenant's events in {@code [fromMinute, toMinute)} (epoch minutes), with
   * the given sections filled.
   */
  public Rollup aggregate(int tenant, long fromMinute, long toMinute, Set<Section> sections) throws IOException {
    Rollup result = new Rollup(fromMinute);
    if (toMinute > fromMinute) {
      read(tenant, fromMinute, toMinute, Tier.DAY, sections, minute -> result);
    }
    return result;
  }

  /**
   * One aggregate per bucket of {@code stepMinutes}, aligned to multiples of the step since the
   * epoch, covering {@code [fromMinute, toMinute)}; the first and last buckets count only their
   * part inside the range. Every bucket is present, empty ones too.
   */
  public List<Rollup> series(int tenant, long fromMinute, long toMinute, long stepMinutes, Set<Section> sections)
      throws IOException {
    if (stepMinutes < 1) {
      throw new IllegalArgumentException("step must be at least a minute");
    }
    if (toMinute <= fromMinute) {
      return List.of();
    }
    long first = Math.floorDiv(fromMinute, stepMinutes) * stepMinutes;
    long count = Math.ceilDiv(toMinute - first, stepMinutes);
    if (count > 1_000_000) {
      throw new IllegalArgumentException("more than 1,000,000 buckets; use a larger step");
    }
    Rollup[] buckets = new Rollup[(int) count];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new Rollup(first + i * stepMinutes);
    }
    read(tenant, fromMinute, toMinute, Tier.largestWithin(stepMinutes), sections,
        minute -> buckets[(int) ((minute - first) / stepMinutes)]);
    return Arrays.asList(buckets);
  }

  @FunctionalInterface
  private interface BucketOf {
    Rollup bucket(long minute);
  }

  private record Span(Tier tier, long from, long to) {}

  private void read(int tenant, long from, long to, Tier largest, Set<Section> sections, BucketOf bucketOf)
      throws IOException {
    EventStore.RollupView view;
    synchronized (lock) {
      view = store.rollupView();
      for (Map.Entry<MinuteKey, LiveMinute> e : open.entrySet()) {
        MinuteKey k = e.getKey();
        if (k.tenant() == tenant && k.minute() >= from && k.minute() < to) {
          bucketOf.bucket(k.minute()).merge(e.getValue().snapshot(), sections, Integer.MAX_VALUE, 0);
        }
      }
      for (Map.Entry<MinuteKey, Rollup> e : flushing.entrySet()) {
        MinuteKey k = e.getKey();
        if (k.tenant() == tenant && k.minute() >= from && k.minute() < to) {
          bucketOf.bucket(k.minute()).merge(e.getValue(), sections, Integer.MAX_VALUE, 0);
        }
      }
    }
    try (view) {
      List<Span> spans = new ArrayList<>();
      cover(from, to, largest, spans);
      for (Span span : spans) {
        for (Section s : sections) {
          view.scan(
              Keys.rollupKey(tenant, span.tier().ordinal(), s.ordinal(), span.from()),
              Keys.rollupKey(tenant, span.tier().ordinal(), s.ordinal(), span.to()),
              (key, value) -> {
                long minute = Keys.rollupMinuteOf(key);
                RollupCodec.mergeInto(bucketOf.bucket(minute), s, value, Integer.MAX_VALUE, 0);
              });
        }
      }
    }
  }

  /** Splits {@code [from, to)} into whole rows: the largest tier in the middle, finer at the edges. */
  private static void cover(long from, long to, Tier tier, List<Span> out) {
    if (from >= to) {
      return;
    }
    if (tier == Tier.MINUTE) {
      out.add(new Span(Tier.MINUTE, from, to));
      return;
    }
    long a = Math.ceilDiv(from, tier.minutes) * tier.minutes;
    long b = Math.floorDiv(to, tier.minutes) * tier.minutes;
    if (a >= b) {
      cover(from, to, tier.finer(), out);
      return;
    }
    cover(from, a, tier.finer(), out);
    out.add(new Span(tier, a, b));
    cover(b, to, tier.finer(), out);
  }

  // ---------------------------------------------------------------- upkeep

  /** Writes what is open now and waits for it; for tests and admin tools. */
  public void flushNow() throws IOException {
    runOnWorker(this::flush);
  }

  /** Waits until every group handed over so far is counted (flushed or not). */
  public void awaitCounted() throws IOException {
    runOnWorker(() -> {});
  }

  /**
   * Recomputes every rollup row from the stored events, on the worker thread: what is open is
   * flushed, every row deleted, and the events counted so far are counted again from the store.
   *
   * @return the number of events counted
   */
  public long rebuild() throws IOException {
    long[] n = {0};
    runOnWorker(() -> n[0] = rebuildAll());
    return n[0];
  }

  private long rebuildAll() throws IOException {
    flush();
    byte[] end = new byte[Keys.ROLLUP_KEY_LENGTH + 1];
    Arrays.fill(end, (byte) 0xFF);
    store.deleteRollups(new byte[Keys.ROLLUP_KEY_LENGTH], end);
    long n = 0;
    for (int tenant : store.tenants()) {
      n += recount(tenant, 0, Long.MAX_VALUE);
    }
    flush(); // records the checkpoint when this ran because it was missing
    LOG.log(System.Logger.Level.INFO, "rebuilt rollups from {0} stored events", n);
    return n;
  }

  /**
   * Drops one tenant's rows before {@code beforeNanos} after its events were deleted: rows of whole
   * days before it go, and the day holding it is counted again from the events that remain.
   */
  public void deleteBefore(int tenant, long beforeNanos) throws IOException {
    runOnWorker(() -> {
      flush();
      long dayStart = Tier.DAY.startOf(Math.floorDiv(beforeNanos, MINUTE_NANOS));
      long dayEnd = dayStart + Tier.DAY.minutes;
      deleteRows(tenant, 0, dayEnd);
      recount(tenant, dayStart * MINUTE_NANOS, dayEnd * MINUTE_NANOS);
    });
  }

  @Override
  public void onDayDropped(LocalDate day) throws IOException {
    long from = day.toEpochDay() * Tier.DAY.minutes;
    runOnWorker(() -> {
      flush();
      for (int tenant : store.rollupTenants()) {
        deleteRows(tenant, from, from + Tier.DAY.minutes);
      }
    });
  }

  private void deleteRows(int tenant, long fromMinute, long toMinute) throws IOException {
    for (Tier tier : Tier.values()) {
      for (Section s : Section.values()) {
        store.deleteRollups(
            Keys.rollupKey(tenant, tier.ordinal(), s.ordinal(), fromMinute),
            Keys.rollupKey(tenant, tier.ordinal(), s.ordinal(), toMinute));
      }
    }
  }

  /**
   * Counts one tenant's stored events in {@code [fromNanos, toNanos)} into fresh rows, in time
   * order, holding one minute, hour and day in memory. Rows of the span must have been deleted.
   * Events above {@code processedSeq} are skipped: they are queued and will be counted as usual.
   */
  private long recount(int tenant, long fromNanos, long toNanos) throws IOException {
    long upTo = processedSeq;
    Recount r = new Recount(tenant);
    try {
      store.scan(tenant, fromNanos, toNanos, false, e -> {
        if (e.id().seq() <= upTo) {
          try {
            r.add(e.id().timeNanos(), e.event());
          } catch (IOException ex) {
            throw new UncheckedIOException(ex);
          }
        }
        return true;
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    r.finish();
    return r.events;
  }

  /** Streaming recount of one tenant: minute, hour and day rows written as time moves on. */
  private final class Recount {
    final int tenant;
    final Map<byte[], byte[]> writes = new LinkedHashMap<>();
    LiveMinute minute;
    Rollup hour;
    Rollup day;
    long events;

    Recount(int tenant) {
      this.tenant = tenant;
    }

    void add(long timeNanos, LogEvent e) throws IOException {
      long m = Math.floorDiv(timeNanos, MINUTE_NANOS);
      if (minute == null || minute.rollup.startMinute != m) {
        closeMinute();
        minute = new LiveMinute(m);
      }
      minute.add(e, options.maxKeys());
      events++;
    }

    private void closeMinute() throws IOException {
      if (minute == null) {
        return;
      }
      Rollup r = minute.finish();
      long m = r.startMinute;
      if (hour != null && hour.startMinute != Tier.HOUR.startOf(m)) {
        put(Tier.HOUR, hour);
        hour = null;
      }
      if (day != null && day.startMinute != Tier.DAY.startOf(m)) {
        put(Tier.DAY, day);
        day = null;
      }
      if (hour == null) {
        hour = new Rollup(Tier.HOUR.startOf(m));
      }
      if (day == null) {
        day = new Rollup(Tier.DAY.startOf(m));
      }
      hour.merge(r, ALL, options.maxKeys(), Tier.HOUR.topCapacity);
      day.merge(r, ALL, options.maxKeys(), Tier.DAY.topCapacity);
      Rollup row = new Rollup(m);
      row.merge(r, ALL, options.maxKeys(), Tier.MINUTE.topCapacity);
      put(Tier.MINUTE, row);
      minute = null;
    }

    private void put(Tier tier, Rollup r) throws IOException {
      for (Section s : Section.values()) {
        if (r.has(s)) {
          RollupCodec.encode(r, s, out);
          writes.put(Keys.rollupKey(tenant, tier.ordinal(), s.ordinal(), r.startMinute), out.toBytes());
        }
      }
      if (writes.size() >= 4096) {
        store.writeRollups(writes, null, null);
        writes.clear();
      }
    }

    void finish() throws IOException {
      closeMinute();
      if (hour != null) {
        put(Tier.HOUR, hour);
      }
      if (day != null) {
        put(Tier.DAY, day);
      }
      store.writeRollups(writes, null, null);
      writes.clear();
    }
  }

  private void runOnWorker(WorkQueue.Task task) throws IOException {
    work.run(worker, task);
  }

  /** Counts what is queued, flushes it, and stops the worker. */
  @Override
  public void close() throws IOException {
    closing = true;
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!open.isEmpty() || !flushing.isEmpty()) {
      flush();
    }
  }
}
