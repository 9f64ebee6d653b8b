package io.logd.store;

import io.logd.event.EventId;
import io.logd.event.LogEvent;
import io.logd.event.StoredEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Priority;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB store, logd's only source of truth. Column families and key layouts are described in
 * {@link Keys}. Events are written only through {@link #commit} (by the ingest pipeline's single
 * writer thread) and are never updated; reads are safe from any thread.
 */
public final class EventStore implements AutoCloseable {
  static final String CF_EVENTS = "events";
  static final String CF_PENDING = "pending";
  static final String CF_ROLLUPS = "rollups";
  static final String CF_META = "meta";

  private static final byte[] META_SEQ = "seq".getBytes(StandardCharsets.UTF_8);

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> cfOptions;
  private final LRUCache blockCache;
  private final ColumnFamilyHandle events;
  private final ColumnFamilyHandle pending;
  private final ColumnFamilyHandle rollups;
  private final ColumnFamilyHandle meta;
  private final List<ColumnFamilyHandle> handles;
  private final WriteOptions syncWrite;
  private final WriteOptions fastWrite;
  private volatile long lastSeq;
  private volatile boolean closed;

  private EventStore(
      Path dir,
      RocksDB db,
      DBOptions dbOptions,
      List<ColumnFamilyOptions> cfOptions,
      LRUCache blockCache,
      List<ColumnFamilyHandle> handles)
      throws RocksDBException {
    this.dir = dir;
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.blockCache = blockCache;
    this.handles = handles;
    this.events = handles.get(1);
    this.pending = handles.get(2);
    this.rollups = handles.get(3);
    this.meta = handles.get(4);
    this.syncWrite = new WriteOptions().setSync(true);
    this.fastWrite = new WriteOptions().setSync(false);
    byte[] seq = db.get(meta, META_SEQ);
    this.lastSeq = seq == null ? 0 : Keys.getLong(seq, 0);
  }

  /**
   * Opens (creating if needed) the store in {@code dir}. The caller must hold the data directory
   * lock; RocksDB's own LOCK file is only a second line of defence.
   */
  public static EventStore open(Path dir, StoreOptions options) throws IOException {
    Files.createDirectories(dir);
    LRUCache cache = new LRUCache(options.blockCacheBytes());
    // Compactions yield the CPU to the writer and to queries: on a small host they would
    // otherwise show up as ack latency. Flushes keep normal priority so memtables never stall.
    Env.getDefault().lowerThreadPoolCPUPriority(Priority.LOW);
    DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(options.maxBackgroundJobs())
            .setBytesPerSync(1 << 20)
            // Obsolete files are deleted by background threads, never inside a write.
            .setAvoidUnnecessaryBlockingIO(true)
            // Reused WAL files are overwritten in place, so an fsync needs no file-size metadata.
            .setRecycleLogFileNum(4)
            // meta and pending get a little data with every group; without this their memtables
            // would pin old WAL files forever.
            .setMaxTotalWalSize(4 * options.writeBufferBytes())
            .setKeepLogFileNum(5)
            .setMaxManifestFileSize(64L << 20);

    ColumnFamilyOptions eventsOpts = columnFamily(cache, options.writeBufferBytes(), 32 << 10, true);
    // Event keys arrive nearly in time order, so below L0 a file seldom overlaps the next level and
    // moves down without a rewrite, but only while both levels compress alike. So every level
    // below L0 is ZSTD and an event is compressed once, by the compaction out of L0; flushes write
    // L0 uncompressed, as that compaction reads them at once.
    eventsOpts.setCompressionPerLevel(List.of(
        CompressionType.NO_COMPRESSION, CompressionType.ZSTD_COMPRESSION, CompressionType.ZSTD_COMPRESSION,
        CompressionType.ZSTD_COMPRESSION, CompressionType.ZSTD_COMPRESSION, CompressionType.ZSTD_COMPRESSION,
        CompressionType.ZSTD_COMPRESSION));
    ColumnFamilyOptions smallOpts = columnFamily(cache, 8L << 20, 16 << 10, false);
    ColumnFamilyOptions rollupOpts = columnFamily(cache, 16L << 20, 16 << 10, false);
    ColumnFamilyOptions defaultOpts = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultOpts),
            new ColumnFamilyDescriptor(bytes(CF_EVENTS), eventsOpts),
            new ColumnFamilyDescriptor(bytes(CF_PENDING), smallOpts),
            new ColumnFamilyDescriptor(bytes(CF_ROLLUPS), rollupOpts),
            new ColumnFamilyDescriptor(bytes(CF_META), smallOpts));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      return new EventStore(
          dir, db, dbOptions, List.of(defaultOpts, eventsOpts, smallOpts, rollupOpts), cache, handles);
    } catch (RocksDBException e) {
      dbOptions.close();
      cache.close();
      throw new IOException("cannot open store in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static ColumnFamilyOptions columnFamily(
      LRUCache cache, long writeBuffer, long blockSize, boolean bloom) {
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setBlockSize(blockSize)
            .setCacheIndexAndFilterBlocks(true)
            .setPinL0FilterAndIndexBlocksInCache(true)
            .setFormatVersion(6);
    if (bloom) {
      table.setFilterPolicy(new BloomFilter(10));
    }
    return new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setWriteBufferSize(writeBuffer)
        .setMaxWriteBufferNumber(4)
        .setLevelCompactionDynamicLevelBytes(true)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public Path dir() {
    return dir;
  }

  /** The highest seq committed so far; 0 for an empty store. */
  public long lastSeq() {
    return lastSeq;
  }

  /**
   * Writes one commit group atomically: every event, one {@code pending} entry for the group and the
   * new last seq, in one WriteBatch. Seqs are assigned here, consecutively from {@code lastSeq()+1}.
   * Must be called from a single thread.
   *
   * @param group the encoded events, in commit order; on return each has its seq set
   * @param sync fsync the WAL before returning
   * @return the first seq of the group
   */
  public long commit(CommitGroup group, boolean sync) throws IOException {
    int n = group.size();
    if (n == 0) {
      return lastSeq + 1;
    }
    long first = lastSeq + 1;
    byte[] pendingValue = new byte[n * Keys.EVENT_KEY_LENGTH];
    try (WriteBatch batch = new WriteBatch(n * 300 + 64)) {
      byte[] key = new byte[Keys.EVENT_KEY_LENGTH];
      for (int i = 0; i < n; i++) {
        long seq = first + i;
        group.setSeq(i, seq);
        Keys.writeEventKey(key, 0, group.tenant(i), group.timeNanos(i), seq);
        batch.put(events, key, group.value(i));
        System.arraycopy(key, 0, pendingValue, i * Keys.EVENT_KEY_LENGTH, Keys.EVENT_KEY_LENGTH);
      }
      long last = first + n - 1;
      batch.put(pending, Keys.seqKey(first), pendingValue);
      batch.put(meta, META_SEQ, Keys.seqKey(last));
      db.write(sync ? syncWrite : fastWrite, batch);
      lastSeq = last;
      return first;
    } catch (RocksDBException e) {
      throw new IOException("store write failed: " + e.getMessage(), e);
    }
  }

  /** Reads one event of {@code tenant}; empty when absent (including another tenant's ID). */
  public Optional<StoredEvent> get(int tenant, EventId id) throws IOException {
    try {
      byte[] value = db.get(events, Keys.eventKey(tenant, id));
      if (value == null) {
        return Optional.empty();
      }
      return Optional.of(new StoredEvent(tenant, id, EventCodec.local().decode(id.timeNanos(), value)));
    } catch (RocksDBException e) {
      throw new IOException("store read failed: " + e.getMessage(), e);
    }
  }

  /**
   * Reads many events of one tenant in one batched lookup, in the order asked. Missing events (for
   * example dropped by retention since the caller found their IDs) are left out.
   */
  public List<StoredEvent> multiGet(int tenant, List<EventId> ids) throws IOException {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<ColumnFamilyHandle> cfs = new ArrayList<>(ids.size());
    List<byte[]> keys = new ArrayList<>(ids.size());
    for (EventId id : ids) {
      cfs.add(events);
      keys.add(Keys.eventKey(tenant, id));
    }
    try {
      List<byte[]> values = db.multiGetAsList(cfs, keys);
      List<StoredEvent> out = new ArrayList<>(ids.size());
      EventCodec codec = EventCodec.local();
      for (int i = 0; i < ids.size(); i++) {
        byte[] value = values.get(i);
        if (value != null) {
          EventId id = ids.get(i);
          out.add(new StoredEvent(tenant, id, codec.decode(id.timeNanos(), value)));
        }
      }
      return out;
    } catch (RocksDBException e) {
      throw new IOException("store read failed: " + e.getMessage(), e);
    }
  }

  /**
   * Visits the events of {@code tenant} with {@code fromNanos <= time < toNanos}, oldest first or
   * newest first, until the visitor returns false.
   */
  public void scan(
      int tenant, long fromNanos, long toNanos, boolean newestFirst, Predicate<StoredEvent> visitor)
      throws IOException {
    if (fromNanos >= toNanos) {
      return;
    }
    try (Slice lower = new Slice(Keys.eventLowerBound(tenant, Math.max(0, fromNanos)));
        Slice upper = new Slice(Keys.eventLowerBound(tenant, toNanos));
        ReadOptions ro = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(events, ro)) {
      EventCodec codec = EventCodec.local();
      if (newestFirst) {
        it.seekToLast();
      } else {
        it.seekToFirst();
      }
      while (it.isValid()) {
        byte[] key = it.key();
        long time = Keys.timeOf(key);
        StoredEvent e = new StoredEvent(tenant, Keys.idOf(key), codec.decode(time, it.value()));
        if (!visitor.test(e)) {
          return;
        }
        if (newestFirst) {
          it.prev();
        } else {
          it.next();
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException("store scan failed: " + e.getMessage(), e);
    }
  }

  /** Visitor of {@link #checkScan}: {@code failure} is null when the event decoded. */
  @FunctionalInterface
  public interface CheckVisitor {
    void visit(EventId id, CorruptEventException failure);
  }

  /**
   * Visits every event of {@code tenant}, oldest first, decoding each; unlike {@link #scan}, a value
   * that cannot be decoded is handed to the visitor with its failure and the scan goes on. For
   * consistency checks.
   */
  public void checkScan(int tenant, CheckVisitor visitor) throws IOException {
    try (Slice lower = new Slice(Keys.tenantPrefix(tenant));
        Slice upper = new Slice(Keys.tenantUpperBound(tenant));
        ReadOptions ro = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper).setFillCache(false);
        RocksIterator it = db.newIterator(events, ro)) {
      EventCodec codec = EventCodec.local();
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        CorruptEventException failure = null;
        try {
          codec.decode(Keys.timeOf(key), it.value());
        } catch (CorruptEventException e) {
          failure = e;
        }
        visitor.visit(Keys.idOf(key), failure);
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException("store scan failed: " + e.getMessage(), e);
    }
  }

  /**
   * Visits the {@code pending} groups that hold seqs above {@code afterSeq}, in seq order: each is
   * its group's event keys. Used at start-up to replay what derived state has not yet covered.
   */
  public void forEachPendingAfter(long afterSeq, PendingVisitor visitor) throws IOException {
    try (RocksIterator it = db.newIterator(pending)) {
      it.seekToFirst();
      while (it.isValid()) {
        byte[] value = it.value();
        int n = value.length / Keys.EVENT_KEY_LENGTH;
        long first = Keys.getLong(it.key(), 0);
        if (first + n - 1 > afterSeq) {
          for (int i = 0; i < n; i++) {
            byte[] key = Arrays.copyOfRange(value, i * Keys.EVENT_KEY_LENGTH, (i + 1) * Keys.EVENT_KEY_LENGTH);
            if (Keys.seqOf(key) > afterSeq && !visitor.visit(key)) {
              return;
            }
          }
        }
        it.next();
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException("pending scan failed: " + e.getMessage(), e);
    }
  }

  /** Visitor of pending event keys; return false to stop. */
  @FunctionalInterface
  public interface PendingVisitor {
    boolean visit(byte[] eventKey) throws IOException;
  }

  /** Reads an event by its full {@code events} key; empty when retention has dropped it. */
  public Optional<StoredEvent> getByKey(byte[] eventKey) throws IOException {
    return get(Keys.tenantOf(eventKey), Keys.idOf(eventKey));
  }

  /**
   * Deletes the {@code pending} groups wholly at or below {@code seq}: every consumer of derived
   * state has durably covered them. A group that straddles {@code seq} is kept.
   */
  public void trimPending(long seq) throws IOException {
    try (RocksIterator it = db.newIterator(pending)) {
      it.seekToFirst();
      byte[] end = null;
      while (it.isValid()) {
        long first = Keys.getLong(it.key(), 0);
        long last = first + it.value().length / Keys.EVENT_KEY_LENGTH - 1;
        if (last > seq) {
          break;
        }
        end = Keys.seqKey(last + 1);
        it.next();
      }
      it.status();
      if (end != null) {
        db.deleteRange(pending, Keys.seqKey(0), end);
      }
    } catch (RocksDBException e) {
      throw new IOException("pending trim failed: " + e.getMessage(), e);
    }
  }

  /** Number of pending groups (for tests and metrics; walks the column family). */
  public long pendingGroups() throws IOException {
    long n = 0;
    try (RocksIterator it = db.newIterator(pending)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        n++;
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException(e.getMessage(), e);
    }
    return n;
  }

  /** The tenants that have at least one event, ascending. One seek per tenant. */
  public List<Integer> tenants() throws IOException {
    List<Integer> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(events)) {
      it.seekToFirst();
      while (it.isValid()) {
        int tenant = Keys.tenantOf(it.key());
        out.add(tenant);
        if (tenant == Integer.MAX_VALUE) {
          break;
        }
        it.seek(Keys.tenantUpperBound(tenant));
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException("tenant scan failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** Counts the events of {@code tenant} with {@code fromNanos <= time < toNanos}, reading keys only. */
  public long count(int tenant, long fromNanos, long toNanos) throws IOException {
    if (fromNanos >= toNanos) {
      return 0;
    }
    long n = 0;
    try (Slice lower = new Slice(Keys.eventLowerBound(tenant, Math.max(0, fromNanos)));
        Slice upper = new Slice(Keys.eventLowerBound(tenant, toNanos));
        ReadOptions ro = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper).setFillCache(false);
        RocksIterator it = db.newIterator(events, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        n++;
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException("store count failed: " + e.getMessage(), e);
    }
    return n;
  }

  /** The time of the oldest event of {@code tenant}, or empty when it has none. */
  public Optional<Long> oldestEventTime(int tenant) throws IOException {
    try (Slice upper = new Slice(Keys.tenantUpperBound(tenant));
        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(events, ro)) {
      it.seek(Keys.tenantPrefix(tenant));
      if (it.isValid()) {
        return Optional.of(Keys.timeOf(it.key()));
      }
      it.status();
      return Optional.empty();
    } catch (RocksDBException e) {
      throw new IOException("store read failed: " + e.getMessage(), e);
    }
  }

  /** The time of the newest event of {@code tenant}, or empty when it has none. */
  public Optional<Long> newestEventTime(int tenant) throws IOException {
    try (Slice upper = new Slice(Keys.tenantUpperBound(tenant));
        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(events, ro)) {
      it.seekToLast();
      if (it.isValid() && Keys.tenantOf(it.key()) == tenant) {
        return Optional.of(Keys.timeOf(it.key()));
      }
      it.status();
      return Optional.empty();
    } catch (RocksDBException e) {
      throw new IOException("store read failed: " + e.getMessage(), e);
    }
  }

  /**
   * Deletes every event of {@code tenant} with {@code fromNanos <= time < toNanos} with a range
   * tombstone, then compacts the span so the disk space returns. Rollups are the rollup set's.
   */
  public void deleteRange(int tenant, long fromNanos, long toNanos) throws IOException {
    if (fromNanos >= toNanos) {
      return;
    }
    byte[] eventsFrom = Keys.eventLowerBound(tenant, fromNanos);
    byte[] eventsTo = Keys.eventLowerBound(tenant, toNanos);
    try (WriteBatch batch = new WriteBatch()) {
      batch.deleteRange(events, eventsFrom, eventsTo);
      db.write(syncWrite, batch);
      db.compactRange(events, eventsFrom, eventsTo);
    } catch (RocksDBException e) {
      throw new IOException("delete failed: " + e.getMessage(), e);
    }
  }

  /**
   * Writes rollup rows and a {@code meta} checkpoint in one WriteBatch, so that a crash keeps both
   * or neither. Not fsync'd: the events they count are, and stay in {@code pending} until a later
   * WAL write (the trim) proves this one reached the disk.
   *
   * @param rows rollups key to value; a null value deletes the row
   */
  public void writeRollups(java.util.Map<byte[], byte[]> rows, String checkpointName, byte[] checkpoint)
      throws IOException {
    try (WriteBatch batch = new WriteBatch()) {
      for (java.util.Map.Entry<byte[], byte[]> row : rows.entrySet()) {
        if (row.getValue() == null) {
          batch.delete(rollups, row.getKey());
        } else {
          batch.put(rollups, row.getKey(), row.getValue());
        }
      }
      if (checkpointName != null) {
        batch.put(meta, bytes(checkpointName), checkpoint);
      }
      db.write(fastWrite, batch);
    } catch (RocksDBException e) {
      throw new IOException("rollup write failed: " + e.getMessage(), e);
    }
  }

  /** Reads one rollup row; null when absent. */
  public byte[] getRollup(byte[] key) throws IOException {
    try {
      return db.get(rollups, key);
    } catch (RocksDBException e) {
      throw new IOException("rollup read failed: " + e.getMessage(), e);
    }
  }

  /** Deletes the rollup rows with {@code from <= key < to}. */
  public void deleteRollups(byte[] from, byte[] to) throws IOException {
    try {
      db.deleteRange(rollups, fastWrite, from, to);
    } catch (RocksDBException e) {
      throw new IOException("rollup delete failed: " + e.getMessage(), e);
    }
  }

  /** The tenants that have at least one rollup row, ascending. */
  public List<Integer> rollupTenants() throws IOException {
    List<Integer> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(rollups)) {
      it.seekToFirst();
      while (it.isValid()) {
        int tenant = Keys.getInt(it.key(), 0);
        out.add(tenant);
        if (tenant == -1) {
          break;
        }
        it.seek(Keys.rollupKey(tenant + 1, 0, 0, 0));
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException("rollup tenant scan failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** Visitor of rollup rows. */
  @FunctionalInterface
  public interface RowVisitor {
    void visit(byte[] key, byte[] value) throws IOException;
  }

  /**
   * A consistent read view of the {@code rollups} column family (a RocksDB snapshot), so a query
   * sees rows exactly as of one flush. Close it to release the snapshot.
   */
  public final class RollupView implements AutoCloseable {
    private final org.rocksdb.Snapshot snapshot = db.getSnapshot();

    private RollupView() {}

    /** Visits the rows with {@code from <= key < to} in key order. */
    public void scan(byte[] from, byte[] to, RowVisitor visitor) throws IOException {
      try (Slice lower = new Slice(from);
          Slice upper = new Slice(to);
          ReadOptions ro = new ReadOptions().setSnapshot(snapshot).setIterateLowerBound(lower).setIterateUpperBound(upper);
          RocksIterator it = db.newIterator(rollups, ro)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          visitor.visit(it.key(), it.value());
        }
        it.status();
      } catch (RocksDBException e) {
        throw new IOException("rollup scan failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      db.releaseSnapshot(snapshot);
    }
  }

  /** Opens a consistent read view of the rollups; close it promptly. */
  public RollupView rollupView() {
    return new RollupView();
  }

  /** Reads a {@code meta} value; empty when unset. */
  public Optional<byte[]> getMeta(String name) throws IOException {
    try {
      return Optional.ofNullable(db.get(meta, bytes(name)));
    } catch (RocksDBException e) {
      throw new IOException("meta read failed: " + e.getMessage(), e);
    }
  }

  /** Writes a {@code meta} value durably. */
  public void putMeta(String name, byte[] value) throws IOException {
    try {
      db.put(meta, syncWrite, bytes(name), value);
    } catch (RocksDBException e) {
      throw new IOException("meta write failed: " + e.getMessage(), e);
    }
  }

  /** Deletes a {@code meta} value durably. */
  public void deleteMeta(String name) throws IOException {
    try {
      db.delete(meta, syncWrite, bytes(name));
    } catch (RocksDBException e) {
      throw new IOException("meta write failed: " + e.getMessage(), e);
    }
  }

  /** Visits every {@code meta} entry whose name starts with {@code prefix}, in name order. */
  public void forEachMeta(String prefix, java.util.function.BiConsumer<String, byte[]> visitor) throws IOException {
    byte[] start = bytes(prefix);
    try (RocksIterator it = db.newIterator(meta)) {
      for (it.seek(start); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (key.length < start.length || !Arrays.equals(key, 0, start.length, start, 0, start.length)) {
          break;
        }
        visitor.accept(new String(key, StandardCharsets.UTF_8), it.value());
      }
      it.status();
    } catch (RocksDBException e) {
      throw new IOException("meta scan failed: " + e.getMessage(), e);
    }
  }

  /** RocksDB's own statistics text ({@code rocksdb.stats}): compaction, stalls, per-level sizes. */
  public String rocksDbStats() throws IOException {
    try {
      return db.getProperty(events, "rocksdb.stats");
    } catch (RocksDBException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Flushes every memtable to SST files (used by tests and before backups; not needed for safety). */
  public void flush() throws IOException {
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      db.flush(fo, handles);
    } catch (RocksDBException e) {
      throw new IOException("flush failed: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a consistent point-in-time copy of every column family into {@code target}, which must
   * not exist yet: a RocksDB checkpoint, which flushes the memtables and hard-links the SST files
   * (copying them when {@code target} is on another file system). The copy opens as a store.
   */
  public void checkpoint(Path target) throws IOException {
    try (Checkpoint checkpoint = Checkpoint.create(db)) {
      checkpoint.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new IOException("store checkpoint into " + target + " failed: " + e.getMessage(), e);
    }
  }

  /** Syncs the WAL and closes RocksDB. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      // Closing anyway: every durable ack already had its own sync.
    }
    for (ColumnFamilyHandle h : handles) {
      h.close(); // RocksJava wants the handles closed before the DB
    }
    try {
      db.closeE();
    } catch (RocksDBException e) {
      throw new IOException("store close failed: " + e.getMessage(), e);
    } finally {
      syncWrite.close();
      fastWrite.close();
      dbOptions.close();
      for (ColumnFamilyOptions o : cfOptions) {
        o.close();
      }
      blockCache.close();
    }
  }
}
