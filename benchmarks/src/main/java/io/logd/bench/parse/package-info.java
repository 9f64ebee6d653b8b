/** Benchmarks of the message-body parsers in {@code io.logd.parse}: nginx and logfmt lines per second. */
package io.logd.bench.parse;
