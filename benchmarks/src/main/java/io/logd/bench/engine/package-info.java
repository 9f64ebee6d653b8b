/** Whole-engine load: durable ingest with indexing, disk use, and query latency over stored data. */
package io.logd.bench.engine;
