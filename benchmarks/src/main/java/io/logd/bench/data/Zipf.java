package io.logd.bench.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Zipf distribution over ranks {@code 0 .. n-1}: rank {@code k} has weight {@code 1/(k+1)^s}.
 * Sampling is a binary search in the cumulative table. Immutable and thread-safe.
 */
public final class Zipf {
  private final double[] cdf;

  /** @param n number of ranks (at least 1) @param s exponent; 1 is the classic web-traffic skew */
  public Zipf(int n, double s) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1");
    }
    cdf = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, s);
      cdf[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cdf[k] /= sum;
    }
    cdf[n - 1] = 1.0;
  }

  /** One rank, drawing one double from {@code rnd}. */
  public int sample(SplittableRandom rnd) {
    int i = Arrays.binarySearch(cdf, rnd.nextDouble());
    return i >= 0 ? i : -i - 1;
  }

  public int size() {
    return cdf.length;
  }
}
