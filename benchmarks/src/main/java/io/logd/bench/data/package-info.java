/**
 * Seeded, reproducible generators of realistic log data shared by every benchmark and load
 * generator: nginx access logs ({@link io.logd.bench.data.AccessLogs}), application logs
 * ({@link io.logd.bench.data.AppLogs}), xray-core proxy access logs ({@link
 * io.logd.bench.data.ProxyLogs}), host syslog lines ({@link io.logd.bench.data.SystemLogs}), a mix
 * of them ({@link io.logd.bench.data.Dataset}), and their wire forms: NDJSON ({@link
 * io.logd.bench.data.Ndjson}) and syslog lines ({@link io.logd.bench.data.SyslogLines}).
 *
 * <p>The same seed gives the same events in the same order (times are passed in by the caller).
 * Depends only on {@code io.logd.event} and Jackson's streaming API.
 */
package io.logd.bench.data;
