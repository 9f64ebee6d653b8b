/**
 * Benchmarks. Sub-packages mirror {@code logd-core}'s packages (JMH benchmarks of one component
 * each); load generators that drive a whole engine or server are main classes run through scripts.
 */
package io.logd.bench;
