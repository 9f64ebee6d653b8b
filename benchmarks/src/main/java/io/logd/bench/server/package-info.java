/**
 * Load against a running logd server, as shippers and dashboards apply it: {@link
 * io.logd.bench.server.LoadGen} drives HTTP NDJSON ingest, syslog over UDP and TCP and searches at
 * once, and reports throughput, latency, disk and memory. Run it through {@code
 * benchmarks/loadgen.sh}, which starts a fresh server for it.
 */
package io.logd.bench.server;
