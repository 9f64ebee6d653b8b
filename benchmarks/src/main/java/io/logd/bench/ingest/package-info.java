/** Benchmarks of the durable append path: {@code IngestPipeline} group commit into RocksDB. */
package io.logd.bench.ingest;
