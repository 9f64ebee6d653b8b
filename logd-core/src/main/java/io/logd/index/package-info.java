/**
 * The full-text indexes: one Lucene index per UTC day, derived from the store and rebuildable from
 * it.
 *
 * <ul>
 *   <li>{@link io.logd.index.LogAnalyzer} tokenizes {@code message} for logs: IPs, paths, dotted
 *       names, hex IDs and URLs are indexed whole and by their parts.
 *   <li>{@link io.logd.index.FieldSchema} and {@link io.logd.index.FieldType}: per-day dynamic
 *       field typing, shadow fields for type conflicts, caps and their counters, persistence in
 *       commit user data.
 *   <li>{@link io.logd.index.DocumentMapper} turns an event, decoded or read in place from its
 *       stored bytes (the indexer's way), into a document (indexed fields and doc values, never a
 *       stored copy) and defines the reserved field names and the day indexes'
 *       layouts: documents in insertion order with a skip index on {@code _time} (new days), or
 *       sorted newest first (days created by earlier builds).
 *   <li>{@link io.logd.index.Literals}: strict, lookup-free parsing of IPs and numbers, shared with
 *       the query parser so both sides read values alike.
 *   <li>{@code IndexSet} and {@code DayIndex}: the per-day IndexWriters, NRT refresh,
 *       commits with {@code maxSeq} and replay of {@code pending}.
 * </ul>
 *
 * <p>Field mapping (analyzer, schema, mapper, literals) depends only on {@code io.logd.event} and
 * Lucene; the index lifecycle ({@code IndexSet}) also uses {@code io.logd.store} and {@code
 * io.logd.ingest} to be fed and to replay. Nothing here depends on {@code io.logd.query}.
 */
package io.logd.index;
