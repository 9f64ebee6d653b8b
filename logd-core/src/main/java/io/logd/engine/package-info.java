/**
 * The one wiring point: {@link io.logd.engine.Logd} and {@link io.logd.engine.Logd.Builder} open the
 * data directory, the store, the ingest pipeline and the background tasks (retention, disk guard,
 * pending trim), and close them in order. {@code LagAdmission} is the engine's ingest admission (disk
 * floor, index and rollup lag).
 *
 * <p>May depend on every other core package; nothing in core depends on it.
 */
package io.logd.engine;
