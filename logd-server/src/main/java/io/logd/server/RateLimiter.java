package io.logd.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per API key: {@code rate} requests per second on average, bursts up to
 * {@code burst}. A rate of zero lets everything through.
 */
final class RateLimiter {
  private final double ratePerNano;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(int ratePerSecond, int burst) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = Math.max(1, burst);
  }

  private static final class Bucket {
    double tokens;
    long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }
  }

  /**
   * Takes one token for {@code key}; returns 0 when allowed, else the whole seconds to wait
   * before a token is available (at least 1), for {@code Retry-After}.
   */
  long acquire(String key) {
    if (ratePerNano <= 0) {
      return 0;
    }
    long now = System.nanoTime();
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    synchronized (b) {
      b.tokens = Math.min(burst, b.tokens + (now - b.last) * ratePerNano);
      b.last = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      double waitNanos = (1 - b.tokens) / ratePerNano;
      return Math.max(1, (long) Math.ceil(waitNanos / 1e9));
    }
  }
}
