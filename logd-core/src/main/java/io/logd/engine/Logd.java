package io.logd.engine;

import io.logd.config.LogdConfig;
import io.logd.event.EventId;
import io.logd.event.LogEvent;
import io.logd.event.StoredEvent;
import io.logd.index.FieldSchema;
import io.logd.index.IndexSet;
import io.logd.ingest.AckMode;
import io.logd.ingest.IngestPipeline;
import io.logd.query.LiveTail;
import io.logd.query.Searcher;
import io.logd.rollup.RollupSet;
import io.logd.store.EventStore;
import io.logd.store.Retention;
import io.logd.store.StoreOptions;
import io.logd.tenant.KeyStore;
import io.logd.tenant.Tenant;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * An open logd engine: the data directory lock, the store, the ingest pipeline and the background
 * tasks. Open one with {@link #builder()}; close it to flush and release the directory.
 *
 * <p>Every read and write names a tenant: there is no path through the engine that reads across
 * tenants.
 */
public final class Logd implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Logd.class.getName());

  /** The tenant {@code default}, which owns the bootstrap admin key. */
  public static final int DEFAULT_TENANT = KeyStore.DEFAULT_TENANT_ID;

  private final LogdConfig config;
  private final Path dataDir;
  private final Clock clock;
  private final DataDirLock lock;
  private final EventStore store;
  private final IndexSet index;
  /** Null when {@code rollups.enabled} is false. */
  private final RollupSet rollups;
  private final Searcher searcher;
  private final LiveTail tail;
  private final IngestPipeline pipeline;
  private final KeyStore keys;
  private final String bootstrapKey;
  private final Retention retention;
  private final ScheduledExecutorService background;
  /**
   * Held by operations that delete whole ranges (retention, deleteBefore) and by backups, so a
   * backup never copies a day the store has already lost, nor a day directory being deleted; and by
   * verify's recheck, so it never sees a delete half done.
   */
  private final ReentrantLock maintenance = new ReentrantLock();
  private final FileStore volume;
  private volatile long diskFree;
  private volatile boolean diskLow;
  private volatile boolean closed;

  private Logd(Builder b, Path dataDir, DataDirLock lock, EventStore store, IndexSet index, RollupSet rollups)
      throws IOException {
    this.config = b.config;
    this.dataDir = dataDir;
    this.clock = b.clock;
    this.lock = lock;
    this.store = store;
    this.index = index;
    this.rollups = rollups;
    this.searcher = new Searcher(index, store, rollups);
    this.tail = new LiveTail(1024);
    this.keys = KeyStore.open(store, clock);
    this.bootstrapKey = keys.bootstrap(config.auth().adminKey()).orElse(null);
    this.volume = Files.getFileStore(dataDir);
    checkDisk();
    LogdConfig.Ingest ingest = config.ingest();
    // Indexing may fall behind a burst; past one queue's worth of events the pipeline pushes back.
    this.pipeline =
        IngestPipeline.start(
            store,
            new IngestPipeline.Options(ingest.queueEvents(), ingest.maxGroupEvents(), ingest.ack()),
            new LagAdmission(() -> diskLow, index::lagEvents,
                rollups == null ? () -> 0 : rollups::lagEvents, ingest.queueEvents()),
            rollups == null ? List.of(index, tail) : List.of(index, rollups, tail));
    this.retention = new Retention(store, dataDir, rollups == null ? List.of(index) : List.of(index, rollups));
    this.background =
        Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("logd-background").daemon().unstarted(r));
    background.scheduleWithFixedDelay(this::checkDiskQuietly, 1, 1, TimeUnit.SECONDS);
    background.scheduleWithFixedDelay(this::trimPendingQuietly, 5, 5, TimeUnit.SECONDS);
    long retentionMillis = config.storage().retention().interval().toMillis();
    if (retentionMillis > 0) {
      background.scheduleWithFixedDelay(
          this::applyRetentionQuietly, retentionMillis, retentionMillis, TimeUnit.MILLISECONDS);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Wires and opens an engine. */
  public static final class Builder {
    private LogdConfig config;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder config(LogdConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The clock retention measures age against; tests pin it. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Locks the data directory and opens everything.
     *
     * @throws DataDirInUseException when another process has the data directory
     */
    public Logd open() throws IOException {
      if (config == null) {
        config = LogdConfig.defaults();
      }
      Path dataDir = config.dataDir().toAbsolutePath().normalize();
      Files.createDirectories(dataDir);
      DataDirLock lock = DataDirLock.acquire(dataDir);
      EventStore store = null;
      IndexSet index = null;
      RollupSet rollups = null;
      try {
        LogdConfig.RocksDb r = config.storage().rocksdb();
        store =
            EventStore.open(
                dataDir.resolve("store"),
                new StoreOptions(r.blockCacheBytes(), r.writeBufferBytes(), r.maxBackgroundJobs()));
        LogdConfig.Index ix = config.index();
        index =
            IndexSet.open(
                dataDir.resolve("index"),
                store,
                new IndexSet.Options(
                    ix.refreshInterval().toMillis(),
                    ix.commitInterval().toMillis(),
                    new FieldSchema.Limits(ix.maxFieldsPerEvent(), ix.maxFieldsPerDay()),
                    ix.threads()));
        LogdConfig.Rollups ro = config.rollups();
        if (ro.enabled()) {
          rollups = RollupSet.open(store,
              new RollupSet.Options(ro.flushInterval().toMillis(), ro.maxOpenMinutes(), ro.maxKeys()));
        } else {
          RollupSet.forget(store);
        }
        return new Logd(this, dataDir, lock, store, index, rollups);
      } catch (IOException | RuntimeException e) {
        if (rollups != null) {
          rollups.close();
        }
        if (index != null) {
          index.close();
        }
        if (store != null) {
          store.close();
        }
        lock.close();
        throw e;
      }
    }
  }

  public LogdConfig config() {
    return config;
  }

  /** The absolute data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** Offers a batch with the configured ack mode ({@code ingest.ack}). */
  public IngestPipeline.Offer ingest(int tenant, List<LogEvent> events) {
    return pipeline.offer(tenant, events);
  }

  /**
   * Why an ingest offered now would be refused before any work (disk low, indexing or rollups
   * behind, queue full); empty when it would be admitted. Cheap: check before parsing a batch.
   */
  public Optional<IngestPipeline.Rejected> ingestRefusal() {
    return pipeline.refusal();
  }

  /**
   * Offers a batch, with the configured ack mode, whose {@link #ingestRefusal()} came back empty
   * before it was parsed; see {@link IngestPipeline#offerAdmitted}.
   */
  public IngestPipeline.Offer ingestAdmitted(int tenant, List<LogEvent> events) {
    return pipeline.offerAdmitted(tenant, events);
  }

  /** Offers a batch with an explicit ack mode. */
  public IngestPipeline.Offer ingest(int tenant, List<LogEvent> events, AckMode ack) {
    return pipeline.offer(tenant, events, ack);
  }

  /** One event of {@code tenant}; empty when absent or another tenant's. */
  public Optional<StoredEvent> get(int tenant, EventId id) throws IOException {
    return store.get(tenant, id);
  }

  /** Visits one tenant's events with {@code from <= time < to}, until the visitor returns false. */
  public void scan(int tenant, Instant from, Instant to, boolean newestFirst, Predicate<StoredEvent> visitor)
      throws IOException {
    store.scan(tenant, LogEvent.toNanos(from), LogEvent.toNanos(to), newestFirst, visitor);
  }

  /** Searches, aggregates and exports over this engine's indexes; every call names a tenant. */
  public Searcher searcher() {
    return searcher;
  }

  /** Live tail: follow new events that match a query. */
  public LiveTail tail() {
    return tail;
  }

  /** Tenants and API keys. */
  public KeyStore keys() {
    return keys;
  }

  /**
   * The admin key made on this start because none existed, to be shown to the operator once;
   * empty on every later start and when {@code auth.admin_key} presets it.
   */
  public Optional<String> bootstrapKey() {
    return Optional.ofNullable(bootstrapKey);
  }

  /** The per-minute rollups; empty when {@code rollups.enabled} is false. */
  public Optional<RollupSet> rollups() {
    return Optional.ofNullable(rollups);
  }

  /** The day indexes, for admin operations (reindex) and tests. */
  public IndexSet index() {
    return index;
  }

  /**
   * Deletes one tenant's events older than {@code before}, from the store, the indexes and the
   * rollups, and answers how many there were. Events ingested meanwhile with older times may
   * survive. Waits for a running backup.
   */
  public long deleteBefore(int tenant, Instant before) throws IOException {
    long cut = LogEvent.toNanos(before);
    maintenance.lock();
    try {
      long n = store.count(tenant, 0, cut);
      store.deleteRange(tenant, 0, cut);
      index.deleteBefore(tenant, cut);
      if (rollups != null) {
        rollups.deleteBefore(tenant, cut);
      }
      return n;
    } finally {
      maintenance.unlock();
    }
  }

  /** Applies retention now, with the configured age and disk budget; waits for a running backup. */
  public Retention.Report applyRetention() throws IOException {
    LogdConfig.Retention r = config.storage().retention();
    maintenance.lock();
    try {
      long now = LogEvent.toNanos(clock.instant());
      long maxDisk = r.maxDisk().resolve(volume.getTotalSpace());
      return retention.apply(now, r.maxAge().toNanos(), maxDisk);
    } finally {
      maintenance.unlock();
    }
  }

  /**
   * Writes a consistent copy of this data directory into {@code dir} while ingest goes on. The copy
   * is a data directory: to restore, stop logd and start it with {@code data_dir} there.
   *
   * <p>The day indexes are committed and pinned first, and the store is checkpointed (RocksDB
   * checkpoint) right after on the indexer thread, before it commits again. So the store copy holds
   * every event the index copy holds, and {@code pending} the rest, which opening the copy indexes
   * and counts into the rollups. Every event acknowledged before the call is in the copy. The index
   * files are copied after, while ingest and indexing go on.
   *
   * @param dir an absolute path, outside the data directory, that does not exist or is an empty
   *     directory; it is created
   * @throws IllegalArgumentException when {@code dir} is not such a path; nothing is written then
   * @throws IOException when the copy fails; what was written into {@code dir} is deleted
   */
  public Backup backup(Path dir) throws IOException {
    Path target = checkBackupDir(dir);
    maintenance.lock();
    try {
      Files.createDirectories(target.resolve("index"));
      try (IndexSet.Snapshot indexes = index.snapshot(() -> store.checkpoint(target.resolve("store")))) {
        indexes.copyTo(target.resolve("index"));
      }
      return new Backup(target, Retention.directorySize(target));
    } catch (IOException | RuntimeException e) {
      deleteContents(target, e);
      throw e;
    } finally {
      maintenance.unlock();
    }
  }

  private Path checkBackupDir(Path dir) throws IOException {
    if (!dir.isAbsolute()) {
      throw new IllegalArgumentException("the backup directory must be an absolute path, got " + dir);
    }
    Path target = dir.normalize();
    if (target.startsWith(dataDir)) {
      throw new IllegalArgumentException("the backup directory " + target + " is inside the data directory " + dataDir);
    }
    if (Files.exists(target)) {
      if (!Files.isDirectory(target)) {
        throw new IllegalArgumentException(target + " exists and is not a directory");
      }
      try (Stream<Path> entries = Files.list(target)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(target + " is not empty; back up into a new or empty directory");
        }
      }
    }
    return target;
  }

  /** Removes what a failed backup wrote (the directory was empty or absent before). */
  private static void deleteContents(Path dir, Exception failure) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Checks the store, the day indexes and the rollups against each other, per tenant (every known
   * tenant and every one with stored events) and, for the indexes, per UTC day, decoding every
   * stored event. Ingest may go on meanwhile: what arrives during the check is allowed for. Reads
   * the whole store, so it takes minutes on a large one.
   */
  public Verification verify() throws IOException {
    List<Integer> known = keys.tenants().stream().map(Tenant::id).toList();
    return new Verifier(store, index, searcher, rollups,
        id -> keys.tenant(id).map(Tenant::name).orElse(Integer.toString(id)), maintenance).run(known);
  }

  public Health health() {
    boolean storeOk = !closed;
    if (storeOk) {
      try {
        store.lastSeq();
        store.getMeta("seq");
      } catch (IOException | RuntimeException e) {
        storeOk = false;
      }
    }
    return new Health(storeOk, !closed && index.healthy(), rollups == null || (!closed && rollups.healthy()),
        diskFree, diskLow);
  }

  public IngestPipeline.Stats ingestStats() {
    return pipeline.stats();
  }

  /** Group-commit latencies (ns) since the previous call; for the one metrics reader. */
  public Histogram takeCommitLatency() {
    return pipeline.takeCommitLatency();
  }

  /** The store, for wiring derived state (indexes, rollups) and for admin tools. */
  public EventStore store() {
    return store;
  }

  private void checkDisk() throws IOException {
    long free = volume.getUsableSpace();
    diskFree = free;
    boolean low = free < config.storage().minFreeDiskBytes();
    if (low != diskLow) {
      LOG.log(low ? System.Logger.Level.ERROR : System.Logger.Level.INFO,
          low ? "free disk {0} bytes is below storage.min_free_disk; refusing ingest"
              : "free disk {0} bytes is back above storage.min_free_disk; accepting ingest",
          free);
    }
    diskLow = low;
  }

  private void checkDiskQuietly() {
    try {
      checkDisk();
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "disk check failed", e);
    }
  }

  /** The highest seq every kind of derived state (index and rollups) has durably covered. */
  private long coveredSeq() {
    return rollups == null ? index.checkpointSeq() : Math.min(index.checkpointSeq(), rollups.checkpointSeq());
  }

  private void trimPendingQuietly() {
    try {
      store.trimPending(coveredSeq());
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "pending trim failed", e);
    }
  }

  private void applyRetentionQuietly() {
    // Skipped while a backup runs: waiting would also hold up the disk checks on this thread.
    if (!maintenance.tryLock()) {
      return;
    }
    try {
      applyRetention();
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "retention failed", e);
    } finally {
      maintenance.unlock();
    }
  }

  /** Stops the background tasks, writes what is queued, closes the store and releases the lock. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    background.shutdown();
    try {
      background.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<IOException> failures = new ArrayList<>();
    pipeline.close();
    tail.close();
    try {
      index.close();
    } catch (IOException e) {
      failures.add(e);
    }
    if (rollups != null) {
      try {
        rollups.close();
      } catch (IOException e) {
        failures.add(e);
      }
    }
    try {
      store.close();
    } catch (IOException e) {
      failures.add(e);
    }
    try {
      lock.close();
    } catch (IOException e) {
      failures.add(e);
    }
    if (!failures.isEmpty()) {
      IOException first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }
}
