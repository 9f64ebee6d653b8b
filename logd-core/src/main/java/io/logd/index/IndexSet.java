package io.logd.index;

import io.logd.event.EventId;
import io.logd.event.LogEvent;
import io.logd.event.StoredEvent;
import io.logd.ingest.IngestPipeline;
import io.logd.ingest.WorkQueue;
import io.logd.store.CommitGroup;
import io.logd.store.EventCodec;
import io.logd.store.EventStore;
import io.logd.store.Keys;
import io.logd.store.Retention;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.IntField;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;

/**
 * The full-text indexes: one {@link DayIndex} per UTC day under {@code data/index}, fed from the
 * ingest pipeline's commit groups.
 *
 * <p>One indexer thread owns every IndexWriter: it adds documents in seq order, commits every
 * {@code commitInterval}, and runs retention drops and reindexing, so no writer is ever touched
 * by two threads' structural changes at once. A separate thread refreshes NRT searchers every
 * {@code refreshInterval} (at most 1 s), which bounds the time to searchable.
 *
 * <p>After each commit of every dirty day, the indexer stores {@code checkpoint/index} in the meta
 * column family: every seq at or below it is durably indexed, so {@code pending} may be trimmed up
 * to it. At start-up, {@code pending} above the checkpoint is replayed, skipping events a day's
 * committed {@code maxSeq} already covers, so an acked event is never missing nor indexed twice.
 * The same replay completes a backup: {@link #snapshot} pins commits no later than the store copy.
 */
public final class IndexSet implements Closeable, IngestPipeline.CommitListener, Retention.DayListener {
  private static final System.Logger LOG = System.getLogger(IndexSet.class.getName());
  static final String CHECKPOINT = "checkpoint/index";

  /**
   * Index settings.
   *
   * @param refreshIntervalMillis NRT refresh period (1..1000)
   * @param commitIntervalMillis Lucene commit period
   * @param limits per-event and per-day field caps
   * @param threads indexing threads; 0 for one less than the cores (at least one)
   */
  public record Options(long refreshIntervalMillis, long commitIntervalMillis, FieldSchema.Limits limits, int threads) {
    public static final Options DEFAULTS = new Options(500, 10_000, FieldSchema.Limits.DEFAULTS, 0);
  }

  /** Visits one day's searcher; return false to stop visiting further days. */
  @FunctionalInterface
  public interface DayVisitor {
    boolean visit(LocalDate day, IndexSearcher searcher, FieldSchema schema) throws IOException;
  }

  private final Path root;
  private final EventStore store;
  private final Options options;
  private final Analyzer analyzer;
  /** Mappers reuse one Document each, so every indexing thread has its own. */
  private final ThreadLocal<DocumentMapper> mappers = ThreadLocal.withInitial(DocumentMapper::new);
  /** Helps the indexer thread with large groups; commits and structure stay on the indexer. */
  private final ExecutorService helpers;
  private final int parallelism;
  private final NavigableMap<LocalDate, DayIndex> days = new ConcurrentSkipListMap<>();
  private final WorkQueue work = new WorkQueue();
  private final AtomicLong queuedEvents = new AtomicLong();
  private final AtomicLong indexedEvents = new AtomicLong();
  private final Thread indexer;
  private final ScheduledExecutorService refresher;
  /**
   * Read-held while a {@link Snapshot} is copied, write-held by the indexer while it deletes day
   * directories (retention, reindex). A stamped lock, because the snapshot is taken on the indexer
   * thread and released by the copying one.
   */
  private final StampedLock copying = new StampedLock();
  private volatile long processedSeq;
  private volatile long checkpointSeq;
  private volatile boolean closing;
  private volatile boolean failing;

  private IndexSet(Path root, EventStore store, Options options) {
    this.root = root;
    this.store = store;
    this.options = options;
    this.analyzer = new LogAnalyzer();
    // One core is left to the writer, HTTP and searches: on small hosts, more indexing threads
    // only fight them for the CPU (measured in benchmarks/RESULTS.md).
    this.parallelism = options.threads() > 0
        ? options.threads() : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    // Indexing is throughput work: its threads have the lowest priority, so a search never waits
    // behind it for a core (with -XX:ThreadPriorityPolicy=1, as the launcher runs the JVM).
    this.helpers = parallelism > 1
        ? Executors.newFixedThreadPool(parallelism - 1, r -> background("logd-indexer-helper").daemon().unstarted(r))
        : null;
    this.indexer = background("logd-indexer").unstarted(this::runIndexer);
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(r -> background("logd-index-refresh").daemon().unstarted(r));
  }

  /**
   * Opens the day indexes under {@code root}, replays {@code pending} above the index checkpoint,
   * commits, and starts the indexer. Call before the ingest pipeline starts.
   */
  public static IndexSet open(Path root, EventStore store, Options options) throws IOException {
    Files.createDirectories(root);
    IndexSet set = new IndexSet(root, store, options);
    try {
      set.openExistingDays();
      set.replayPending();
      set.indexer.start();
      long period = Math.max(1, Math.min(1000, options.refreshIntervalMillis()));
      set.refresher.scheduleWithFixedDelay(set::refreshQuietly, period, period, TimeUnit.MILLISECONDS);
      return set;
    } catch (IOException | RuntimeException e) {
      set.refresher.shutdown();
      if (set.helpers != null) {
        set.helpers.shutdown();
      }
      set.closeDays();
      throw e;
    }
  }

  private void openExistingDays() throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path dir : dirs) {
        LocalDate day;
        try {
          day = LocalDate.parse(dir.getFileName().toString());
        } catch (DateTimeParseException e) {
          continue; // not ours (e.g. a reindex leftover is named differently)
        }
        days.put(day, DayIndex.open(day, dir, analyzer, options.limits()));
      }
    }
  }

  private void replayPending() throws IOException {
    long checkpoint = store.getMeta(CHECKPOINT).map(b -> Keys.getLong(b, 0)).orElse(0L);
    long[] replayed = {0};
    store.forEachPendingAfter(checkpoint, key -> {
      long seq = Keys.seqOf(key);
      DayIndex day = day(dayOf(Keys.timeOf(key)));
      if (seq > day.committedMaxSeq()) {
        Optional<StoredEvent> e = store.getByKey(key);
        if (e.isPresent()) { // retention may have dropped it since
          add(day, e.get().tenant(), e.get().id(), e.get().event());
          replayed[0]++;
        }
      }
      return true;
    });
    processedSeq = store.lastSeq();
    commitAll();
    if (replayed[0] > 0) {
      LOG.log(System.Logger.Level.INFO, "replayed {0} events into the index from pending", replayed[0]);
    }
  }

  @Override
  public void onCommit(CommitGroup group) {
    queuedEvents.addAndGet(group.size());
    // The index may lag by a whole queue of events; hold them encoded (see encodedOnly).
    work.add(group.encodedOnly());
  }

  /** Events handed over but not yet added to an index (the indexer's lag). */
  public long lagEvents() {
    return queuedEvents.get();
  }

  public long indexedEvents() {
    return indexedEvents.get();
  }

  /** The indexer runs and its last group went in. */
  public boolean healthy() {
    return indexer.isAlive() && !failing;
  }

  /** Every seq at or below this is durably indexed. */
  public long checkpointSeq() {
    return checkpointSeq;
  }

  private void runIndexer() {
    long nextCommit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.commitIntervalMillis());
    while (true) {
      Object item;
      try {
        item = work.poll(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        if (item instanceof CommitGroup g) {
          indexGroup(g);
          failing = false;
        } else if (item instanceof WorkQueue.Task t) {
          t.run();
        }
        if (System.nanoTime() >= nextCommit) {
          commitAll();
          nextCommit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.commitIntervalMillis());
        }
      } catch (IOException | RuntimeException e) {
        failing = true;
        LOG.log(System.Logger.Level.ERROR, "indexing failed; the events stay in pending and are replayed at restart", e);
      }
      if (item == null && closing && work.isEmpty()) {
        break;
      }
    }
  }

  /** Groups smaller than this are indexed by the indexer thread alone. */
  private static final int PARALLEL_MIN = 256;

  private void indexGroup(CommitGroup g) throws IOException {
    try {
      int n = g.size();
      // Days are opened here, on the indexer thread; the helpers only add documents.
      DayIndex[] targets = new DayIndex[n];
      for (int i = 0; i < n; i++) {
        targets[i] = day(dayOf(g.timeNanos(i)));
      }
      if (helpers == null || n < PARALLEL_MIN) {
        indexRange(g, targets, 0, n);
      } else {
        int chunk = (n + parallelism - 1) / parallelism;
        List<Future<?>> parts = new ArrayList<>(parallelism - 1);
        for (int from = chunk; from < n; from += chunk) {
          int start = from;
          int end = Math.min(n, from + chunk);
          parts.add(helpers.submit(() -> {
            indexRange(g, targets, start, end);
            return null;
          }));
        }
        indexRange(g, targets, 0, Math.min(n, chunk));
        for (Future<?> part : parts) {
          WorkQueue.await(part);
        }
      }
      // Only now, with every event of the group added, may a commit claim the group's seqs.
      processedSeq = g.lastSeq();
    } finally {
      queuedEvents.addAndGet(-g.size());
    }
  }

  /** Maps each event from its stored value in place: decoding it first was an eighth of the indexer's time. */
  private void indexRange(CommitGroup g, DayIndex[] targets, int from, int to) throws IOException {
    DocumentMapper mapper = mappers.get();
    EventCodec codec = EventCodec.local();
    for (int i = from; i < to; i++) {
      DayIndex day = targets[i];
      EventId id = new EventId(g.timeNanos(i), g.seq(i));
      day.add(mapper.map(g.tenant(i), id, codec.read(g.value(i)), day.schema, day.layout), id.seq());
      indexedEvents.incrementAndGet();
    }
  }

  private void add(DayIndex day, int tenant, EventId id, LogEvent event) throws IOException {
    day.add(mappers.get().map(tenant, id, event, day.schema, day.layout), id.seq());
    indexedEvents.incrementAndGet();
  }

  private DayIndex day(LocalDate date) throws IOException {
    DayIndex d = days.get(date);
    if (d == null) {
      d = DayIndex.open(date, root.resolve(date.toString()), analyzer, options.limits());
      days.put(date, d);
    }
    return d;
  }

  /** Commits every dirty day, then records the checkpoint. Indexer thread only. */
  private void commitAll() throws IOException {
    long seq = processedSeq;
    for (DayIndex d : days.values()) {
      d.commit();
    }
    if (seq > checkpointSeq) {
      byte[] v = new byte[8];
      Keys.putLong(v, 0, seq);
      store.putMeta(CHECKPOINT, v);
      checkpointSeq = seq;
    }
  }

  private void refreshQuietly() {
    for (DayIndex d : days.values()) {
      try {
        d.refresh();
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "refresh of " + d.day + " failed", e);
      }
    }
  }

  /**
   * Waits until everything handed to the index so far is added and searchable. For tests and
   * admin tools; ingest never waits on it.
   */
  public void awaitSearchable() throws IOException {
    runOnIndexer(() -> {
      for (DayIndex d : days.values()) {
        d.refreshBlocking();
      }
    });
  }

  /** Commits now (on the indexer thread) and returns the new checkpoint. */
  public long commitNow() throws IOException {
    runOnIndexer(this::commitAll);
    return checkpointSeq;
  }

  @Override
  public void onDayDropped(LocalDate date) throws IOException {
    runOnIndexer(() -> {
      long stamp = copying.writeLock();
      try {
        DayIndex d = days.remove(date);
        if (d != null) {
          d.close();
          deleteTree(d.dir);
        }
      } finally {
        copying.unlockWrite(stamp);
      }
    });
  }

  /**
   * Deletes one tenant's documents older than {@code beforeNanos} from every day index that can
   * hold any, on the indexer thread, and commits.
   */
  public void deleteBefore(int tenant, long beforeNanos) throws IOException {
    runOnIndexer(() -> {
      for (DayIndex d : days.headMap(dayOf(beforeNanos), true).values()) {
        d.delete(new BooleanQuery.Builder()
            .add(IntField.newExactQuery(DocumentMapper.TENANT, tenant), BooleanClause.Occur.FILTER)
            .add(DocumentMapper.timeRange(d.layout, Long.MIN_VALUE, beforeNanos - 1), BooleanClause.Occur.FILTER)
            .build());
        d.refreshBlocking();
      }
      commitAll();
    });
  }

  private static Thread.Builder.OfPlatform background(String name) {
    return Thread.ofPlatform().name(name).priority(Thread.MIN_PRIORITY);
  }

  /**
   * Rebuilds every day index from the {@code events} column family, on the indexer thread: the
   * events handed over so far are re-read from the store; later ones arrive through the queue.
   *
   * @return the number of events indexed
   */
  public long reindex() throws IOException {
    long[] count = {0};
    runOnIndexer(() -> {
      long stamp = copying.writeLock(); // a backup's copy of these days finishes first
      try {
        count[0] = rebuildAll();
      } finally {
        copying.unlockWrite(stamp);
      }
    });
    return count[0];
  }

  /** Reindex's work, on the indexer thread; answers the number of events indexed. */
  private long rebuildAll() throws IOException {
    long upTo = processedSeq;
    long[] count = {0};
    closeDays();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path p : dirs.toList()) {
        deleteTree(p);
      }
    }
    for (int tenant : store.tenants()) {
      store.scan(tenant, 0, Long.MAX_VALUE, false, e -> {
        if (e.id().seq() <= upTo) {
          try {
            add(day(dayOf(e.id().timeNanos())), tenant, e.id(), e.event());
          } catch (IOException ex) {
            throw new UncheckedIOException(ex);
          }
          count[0]++;
        }
        return true;
      });
    }
    checkpointSeq = 0;
    commitAll();
    for (DayIndex d : days.values()) {
      d.refreshBlocking();
    }
    return count[0];
  }

  /**
   * Every day index's last commit, pinned so its files stay on disk while {@link #copyTo} copies
   * them, whatever the indexer commits, merges or deletes meanwhile. Close it (from any thread) to
   * unpin them.
   */
  public final class Snapshot implements Closeable {
    private final Map<DayIndex, IndexCommit> commits;
    private final long stamp;
    private boolean closed;

    private Snapshot(Map<DayIndex, IndexCommit> commits, long stamp) {
      this.commits = commits;
      this.stamp = stamp;
    }

    /** Copies each pinned day into {@code root/YYYY-MM-DD}, the layout of a data directory's index. */
    public void copyTo(Path root) throws IOException {
      for (Map.Entry<DayIndex, IndexCommit> e : commits.entrySet()) {
        DayIndex.copy(e.getValue(), root.resolve(e.getKey().day.toString()));
      }
    }

    @Override
    public synchronized void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      copying.unlockRead(stamp); // first: a reindex waiting on it may hold the indexer
      runOnIndexer(() -> releaseAll(commits));
    }
  }

  /**
   * Commits every day and pins each day's commit, then runs {@code whilePinned}, all in one task on
   * the indexer thread: until it returns, nothing commits, so {@code checkpoint/index} and the
   * trimming of {@code pending} stay where these commits put them. A backup checkpoints the store
   * there, so the store copy holds every event the index copy holds, and {@code pending} for the
   * rest.
   */
  public Snapshot snapshot(WorkQueue.Task whilePinned) throws IOException {
    Snapshot[] out = {null};
    runOnIndexer(() -> {
      commitAll();
      long stamp = copying.readLock(); // only the indexer (this thread) ever write-locks it
      Map<DayIndex, IndexCommit> commits = new LinkedHashMap<>();
      try {
        for (DayIndex d : days.values()) {
          d.snapshot().ifPresent(c -> commits.put(d, c));
        }
        whilePinned.run();
      } catch (IOException | RuntimeException e) {
        copying.unlockRead(stamp);
        releaseAll(commits);
        throw e;
      }
      out[0] = new Snapshot(commits, stamp);
    });
    return out[0];
  }

  private static void releaseAll(Map<DayIndex, IndexCommit> commits) throws IOException {
    for (Map.Entry<DayIndex, IndexCommit> e : commits.entrySet()) {
      e.getKey().release(e.getValue());
    }
  }

  /**
   * Visits the day indexes overlapping {@code [fromNanos, toNanos)}, newest day first or oldest
   * first, with an acquired searcher each (released after the visit).
   */
  public void forEachDay(long fromNanos, long toNanos, boolean newestFirst, DayVisitor visitor) throws IOException {
    if (fromNanos >= toNanos) {
      return;
    }
    LocalDate from = dayOf(fromNanos);
    LocalDate to = dayOf(toNanos - 1);
    NavigableMap<LocalDate, DayIndex> span = days.subMap(from, true, to, true);
    for (DayIndex d : (newestFirst ? span.descendingMap() : span).values()) {
      IndexSearcher searcher;
      try {
        searcher = d.acquire();
      } catch (org.apache.lucene.store.AlreadyClosedException e) {
        continue; // dropped by retention meanwhile
      }
      try {
        if (!visitor.visit(d.day, searcher, d.schema)) {
          return;
        }
      } finally {
        d.release(searcher);
      }
    }
  }

  /** The days that have an index, oldest first. */
  public List<LocalDate> days() {
    return List.copyOf(days.keySet());
  }

  private void runOnIndexer(WorkQueue.Task task) throws IOException {
    work.run(indexer, task);
  }

  static LocalDate dayOf(long nanos) {
    return LocalDate.ofEpochDay(Math.floorDiv(nanos, 86_400_000_000_000L));
  }

  private void closeDays() throws IOException {
    IOException first = null;
    for (DayIndex d : days.values()) {
      try {
        d.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    days.clear();
    if (first != null) {
      throw first;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Indexes what is queued, commits every day (so a clean restart replays nothing), and closes.
   * Call after the ingest pipeline has closed.
   */
  @Override
  public void close() throws IOException {
    refresher.shutdown();
    closing = true;
    try {
      // A refresh still running would meet writers closed under it.
      refresher.awaitTermination(1, TimeUnit.MINUTES);
      indexer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (helpers != null) {
      helpers.shutdown();
    }
    try {
      commitAll();
    } finally {
      closeDays();
    }
  }
}
