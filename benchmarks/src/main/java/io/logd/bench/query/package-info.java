/**
 * Benchmarks of {@code io.logd.query}: parsing query text ({@code LogQueryParser}) and answering
 * searches, counts, histograms and facets ({@code Searcher}) over an engine built once from
 * generated data.
 */
package io.logd.bench.query;
