/**
 * Searching: the query language and the searcher over the day indexes.
 *
 * <ul>
 *   <li>{@link io.logd.query.LogQueryParser} turns Lucene query syntax into a Lucene query for one
 *       day, typed by that day's {@link io.logd.index.FieldSchema}; {@link
 *       io.logd.query.QuerySyntaxException} reports a bad query with its position.
 *   <li>{@code Searcher}, {@link io.logd.query.Cursor}, {@link io.logd.query.TimeRange}
 *       and {@code ExportIterator}: tenant-filtered searches
 *       over the days a time range overlaps, opaque cursors, hits, facets and exports; events are
 *       fetched from the store by key.
 *   <li>{@code TimeOrderedSearch}, {@code TimeBlocks} and {@code TimeBucketCollector}: pages and
 *       histograms from the time span of each block of doc ids, so that neither needs the index
 *       sorted by time.
 *   <li>{@code PartsPatternQuery} and {@code VerifiedPatternQuery}: wildcard, prefix and fuzzy
 *       patterns over the parts of {@code message}; a piece too broad for the index is checked
 *       against candidates' stored messages ({@code MessageSource}), within a budget past which
 *       {@link io.logd.query.QueryTooBroadException} says what to narrow.
 * </ul>
 *
 * <p>The parser depends only on {@code io.logd.event}, {@code io.logd.index} (field names, types
 * and value encodings) and Lucene; the searcher also on {@code io.logd.store}. Nothing outside the
 * engine and the server depends on this package.
 */
package io.logd.query;
