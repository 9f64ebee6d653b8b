package io.logd.store;

/**
 * RocksDB tuning for {@link EventStore}.
 *
 * @param blockCacheBytes shared LRU block cache across column families
 * @param writeBufferBytes memtable size of the {@code events} column family
 * @param maxBackgroundJobs flush and compaction threads
 */
public record StoreOptions(long blockCacheBytes, long writeBufferBytes, int maxBackgroundJobs) {
  public static final StoreOptions DEFAULTS = new StoreOptions(256L << 20, 64L << 20, 2);

  public StoreOptions {
    if (blockCacheBytes < 1 << 20) {
      throw new IllegalArgumentException("block cache below 1 MiB: " + blockCacheBytes);
    }
    if (writeBufferBytes < 1 << 20) {
      throw new IllegalArgumentException("write buffer below 1 MiB: " + writeBufferBytes);
    }
    if (maxBackgroundJobs < 1) {
      throw new IllegalArgumentException("max background jobs below 1: " + maxBackgroundJobs);
    }
  }
}
