package io.logd.rollup;

import java.util.HashMap;
import java.util.Map;

/**
 * Exact counts by key, with a cap on distinct keys: events whose key would exceed it are counted in
 * {@link #overflow} instead, so memory stays bounded and the total stays right.
 */
final class CountMap {
  final HashMap<String, long[]> counts = new HashMap<>();
  long overflow;

  void add(String key, long n, int maxKeys) {
    long[] c = counts.get(key);
    if (c != null) {
      c[0] += n;
    } else if (counts.size() < maxKeys) {
      counts.put(key, new long[] {n});
    } else {
      overflow += n;
    }
  }

  void merge(CountMap other, int maxKeys) {
    for (Map.Entry<String, long[]> e : other.counts.entrySet()) {
      add(e.getKey(), e.getValue()[0], maxKeys);
    }
    overflow += other.overflow;
  }

  long get(String key) {
    long[] c = counts.get(key);
    return c == null ? 0 : c[0];
  }

  boolean isEmpty() {
    return counts.isEmpty() && overflow == 0;
  }
}
