package io.logd.rollup;

import java.util.HashMap;

/**
 * The space-saving sketch (Metwally et al., 2005) of one dimension in one open minute: a fixed set
 * of counters in a min-heap indexed by value, so an offer costs one hash lookup and O(log k) heap
 * steps. A value not tracked replaces the smallest counter and inherits its count.
 */
final class SpaceSaving {
  private static final class Counter {
    String value;
    long count;
    int heapIndex;
  }

  private final Counter[] heap;
  private final HashMap<String, Counter> byValue;
  private int size;
  private long n;

  SpaceSaving(int counters) {
    heap = new Counter[counters];
    byValue = HashMap.newHashMap(counters);
  }

  void offer(String value) {
    n++;
    Counter c = byValue.get(value);
    if (c != null) {
      c.count++;
      siftDown(c.heapIndex);
      return;
    }
    if (size < heap.length) {
      c = new Counter();
      c.value = value;
      c.count = 1;
      c.heapIndex = size;
      heap[size++] = c;
      byValue.put(value, c);
      siftUp(c.heapIndex);
      return;
    }
    c = heap[0];
    byValue.remove(c.value);
    c.value = value;
    c.count++;
    byValue.put(value, c);
    siftDown(0);
  }

  boolean isEmpty() {
    return n == 0;
  }

  /**
   * The summary: with every counter in use, each count less the smallest (a lower bound), and the
   * smallest as the error; with spare counters, the exact counts.
   */
  TopK toTopK() {
    TopK t = new TopK(size);
    long floor = size < heap.length ? 0 : heap[0].count;
    for (int i = 0; i < size; i++) {
      long c = heap[i].count - floor;
      if (c > 0) {
        t.counts.put(heap[i].value, new long[] {c});
      }
    }
    t.maxError = floor;
    t.n = n;
    return t;
  }

  private void siftUp(int i) {
    Counter c = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Counter p = heap[parent];
      if (p.count <= c.count) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = c;
    c.heapIndex = i;
  }

  private void siftDown(int i) {
    Counter c = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && heap[right].count < heap[child].count) {
        child = right;
      }
      if (c.count <= heap[child].count) {
        break;
      }
      heap[i] = heap[child];
      heap[i].heapIndex = i;
      i = child;
    }
    heap[i] = c;
    c.heapIndex = i;
  }
}
