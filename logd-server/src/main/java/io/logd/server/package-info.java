/**
 * logd's network front: {@link io.logd.server.LogdServer} starts and stops the listeners over an
 * open {@link io.logd.engine.Logd} engine.
 *
 * <p>The HTTP listener is Netty on the NIO transport. Each connection's pipeline is built by
 * {@code HttpInitializer}: the HTTP/1.1 codec, the response compressor, {@code HeadCheck} (an
 * ingest request that its head decides, by key or by backpressure, is answered before its body,
 * which is dropped unheld), a server-wide bound on request bodies in memory
 * ({@code BodyAdmission} over one {@code BodyMemory}; a body that does not fit waits unread, its
 * connection paused through {@code ReadPauses}; {@code InflatedBodies}, after the gzip inflater,
 * grows a body's reservation to what it inflates to), a body-size limit that answers 413 in logd's JSON
 * error shape ({@code JsonHttpObjectAggregator}), and {@code HttpApiHandler}, which hands each
 * request to {@code HttpApi} and writes the answers back in request order (keep-alive, pipelining).
 * Work that may block (the store, later queries) runs on the API executor, never on an event loop.
 * {@code HttpResponses} builds JSON answers and the {@code {"error":{"code","message"}}} body of
 * every error.
 *
 * <p>May depend on {@code io.logd.engine}, {@code io.logd.config} and the engine's value types; the
 * engine knows nothing of this package.
 */
package io.logd.server;
