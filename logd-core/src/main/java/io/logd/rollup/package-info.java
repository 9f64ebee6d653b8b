/**
 * Per-minute rollups: counts, bytes, errors, latency histograms and top-K sketches per tenant,
 * kept on the ingest path so that metrics over days never scan events.
 *
 * <p>{@link io.logd.rollup.RollupSet} is the commit listener and query side. It accumulates each
 * committed group into open minutes in memory, and flushes them at least every few seconds into
 * the {@code rollups} column family as minute, hour and day rows, in one WriteBatch together with
 * its checkpoint seq. After a crash, what came after the checkpoint is replayed from {@code
 * pending}, so rows always equal a recount of the stored events. {@link io.logd.rollup.Rollup} is
 * an aggregate of any span, and {@link io.logd.rollup.TopK} its frequent-items summary.
 *
 * <p>Depends on {@code io.logd.event} and {@code io.logd.store}; nothing here knows about queries
 * or HTTP.
 */
package io.logd.rollup;
