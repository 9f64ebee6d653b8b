package io.logd.rollup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mergeable frequent-items summary (Misra–Gries form) of one dimension over some span.
 *
 * <p>Contract: for every value {@code x}, {@code count(x) <= true count <= count(x) + maxError()},
 * where a value not listed has count 0; and {@code maxError() <= n() / 101}, {@code n()} being the
 * events in the span that carry the dimension. Minutes are summarised by a space-saving sketch of
 * 101 counters; hour and day rows keep 1,000 entries. Merging keeps the bound (Agarwal et al.,
 * "Mergeable summaries", 2012): truncating to k entries subtracts the (k+1)-th largest count {@code
 * v} from every entry and adds {@code v} to the error, and the sum of counts drops by at least
 * (k+1)·v.
 */
public final class TopK {
  /** One value and its lower-bound count. */
  public record Item(String value, long count) {}

  final HashMap<String, long[]> counts;
  long maxError;
  long n;

  TopK() {
    this.counts = new HashMap<>();
  }

  TopK(int expected) {
    this.counts = HashMap.newHashMap(expected);
  }

  /** The error bound of every count: the true count is at most this much higher. */
  public long maxError() {
    return maxError;
  }

  /** Events in the span that carried the dimension. */
  public long n() {
    return n;
  }

  /** The lower-bound count of {@code value} (0 when not listed). */
  public long count(String value) {
    long[] c = counts.get(value);
    return c == null ? 0 : c[0];
  }

  /** Listed values. */
  public int size() {
    return counts.size();
  }

  /** The {@code limit} largest counts, largest first, ties by value. */
  public List<Item> items(int limit) {
    List<Item> all = new ArrayList<>(counts.size());
    counts.forEach((k, v) -> all.add(new Item(k, v[0])));
    all.sort(Comparator.comparingLong(Item::count).reversed().thenComparing(Item::value));
    return all.size() <= limit ? all : new ArrayList<>(all.subList(0, limit));
  }

  /** Adds {@code other}'s counts, errors and events; keeps every entry (see {@link #truncate}). */
  void add(TopK other) {
    for (Map.Entry<String, long[]> e : other.counts.entrySet()) {
      long[] c = counts.get(e.getKey());
      if (c == null) {
        counts.put(e.getKey(), new long[] {e.getValue()[0]});
      } else {
        c[0] += e.getValue()[0];
      }
    }
    maxError += other.maxError;
    n += other.n;
  }

  /** Keeps at most {@code capacity} entries, moving the cut into {@link #maxError}. */
  void truncate(int capacity) {
    if (counts.size() <= capacity) {
      return;
    }
    long[] values = new long[counts.size()];
    int i = 0;
    for (long[] c : counts.values()) {
      values[i++] = c[0];
    }
    Arrays.sort(values);
    long cut = values[values.length - 1 - capacity]; // the (capacity+1)-th largest
    counts.values().removeIf(c -> (c[0] -= cut) <= 0);
    maxError += cut;
  }

  boolean isEmpty() {
    return n == 0;
  }
}
