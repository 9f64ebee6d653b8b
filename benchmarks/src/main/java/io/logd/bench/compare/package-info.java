/**
 * The side-by-side run against PostgreSQL, the seeds' stack: one generated dataset loaded into
 * logd (HTTP NDJSON, durable acks) and into a PostgreSQL table with the seeds' schema and indexes
 * (batched multi-row INSERTs and COPY), then the same questions asked of both. {@link
 * io.logd.bench.compare.ComparePostgres} is the main class; {@code benchmarks/compare-postgres.sh}
 * starts both servers for it.
 */
package io.logd.bench.compare;
