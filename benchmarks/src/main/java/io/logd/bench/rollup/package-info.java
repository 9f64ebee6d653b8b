/**
 * Benchmarks of the per-minute rollups ({@code io.logd.rollup}): how fast the accumulator counts
 * committed groups, what a flush costs, and metric query latency over a week of minute rows.
 */
package io.logd.bench.rollup;
