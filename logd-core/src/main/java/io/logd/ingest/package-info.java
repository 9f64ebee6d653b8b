/**
 * The ingest pipeline: a bounded queue, a single writer thread and group commit into the store, with
 * an ack per submission that completes only after the write is durable (or written, for
 * {@link io.logd.ingest.AckMode#FAST}). Committed groups go to the commit listeners (index,
 * rollups, live tail); those that keep derived state do so on a thread of their own, fed through a
 * {@link io.logd.ingest.WorkQueue}.
 *
 * <p>Depends on {@code io.logd.event} and {@code io.logd.store}.
 */
package io.logd.ingest;
