/**
 * Benchmarks of {@code io.logd.index}: mapping events to Lucene documents ({@code DocumentMapper})
 * and indexing them into the day indexes ({@code IndexSet}), as the indexer thread does.
 */
package io.logd.bench.index;
