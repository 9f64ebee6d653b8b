/** Benchmarks of {@code io.logd.store}: the versioned event codec that every stored event goes through. */
package io.logd.bench.store;
