/**
 * The RocksDB store, logd's only source of truth: {@link io.logd.store.EventStore}, the key layouts
 * in {@link io.logd.store.Keys}, the versioned {@link io.logd.store.EventCodec} (with {@link
 * io.logd.store.EncodedEvent}, a stored value read in place, which the indexer maps without
 * decoding) and {@link io.logd.store.Retention}, which drops the oldest whole days by age and disk
 * budget.
 *
 * <p>Depends only on {@code io.logd.event}. Everything else in logd (indexes, rollups, exports) is
 * derived from what is stored here and can be rebuilt from it.
 */
package io.logd.store;
