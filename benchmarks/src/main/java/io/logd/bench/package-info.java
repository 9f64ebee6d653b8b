/**
 * Benchmarks. Sub-packages mirror {@code logd-core}'s packages (JMH benchmarks of one component
 * each: {@code parse}, {@code store}, {@code ingest}, {@code index}, {@code query}, {@code rollup});
 * {@code data} holds the seeded generators they share; load generators that drive a whole engine or
 * server ({@code engine.EngineLoad}, {@code server.LoadGen}, {@code compare.ComparePostgres}) are
 * main classes run through scripts.
 */
package io.logd.bench;
