package io.logd.server;

import java.util.ArrayDeque;

/**
 * The request-body bytes every HTTP connection together may hold at once. A connection reserves a
 * body's size before reading it (and grows the reservation when the body inflates past it) and
 * gives it back once the request is answered; when the budget is
 * spent, the request waits, unread, in arrival order. TCP flow control then slows the client down,
 * and no body is refused or lost. A request is always admitted when nothing else is reserved, so a
 * body of any size up to the budget gets through. Thread-safe.
 */
final class BodyMemory {
  /** A request waiting for its reservation; {@link #admitted} runs once it has it. */
  interface Waiter {
    /** Called on any thread, outside this object's lock. */
    void admitted();
  }

  private record Waiting(long bytes, Waiter waiter) {}

  private final long budget;
  private long reserved;
  private long waits;
  private final ArrayDeque<Waiting> queue = new ArrayDeque<>();

  BodyMemory(long budget) {
    if (budget <= 0) {
      throw new IllegalArgumentException("budget must be positive: " + budget);
    }
    this.budget = budget;
  }

  /**
   * Reserves {@code bytes} now and returns true, or queues {@code waiter} to be admitted when enough
   * is given back and returns false. Requests queue behind earlier waiters even when they would fit.
   */
  synchronized boolean reserve(long bytes, Waiter waiter) {
    if (queue.isEmpty() && fits(bytes)) {
      reserved += bytes;
      return true;
    }
    queue.add(new Waiting(bytes, waiter));
    waits++;
    return false;
  }

  /**
   * Adds {@code bytes} to a reservation at once, past the budget if need be: for a body that turns
   * out larger than it was reserved as (inflated gzip, a long chunked body) while it is read. What
   * goes past the budget makes later requests wait until it is given back.
   */
  synchronized void grow(long bytes) {
    reserved += bytes;
  }

  /** Gives back a reservation and admits the waiters that now fit. */
  void release(long bytes) {
    ArrayDeque<Waiter> admitted = new ArrayDeque<>();
    synchronized (this) {
      reserved -= bytes;
      while (!queue.isEmpty() && fits(queue.peek().bytes())) {
        Waiting next = queue.poll();
        reserved += next.bytes();
        admitted.add(next.waiter());
      }
    }
    admitted.forEach(Waiter::admitted);
  }

  /**
   * Takes {@code waiter} out of the queue, for a connection that closed while waiting; false when
   * it was admitted already, and then the caller owns a reservation to release.
   */
  synchronized boolean cancel(Waiter waiter) {
    return queue.removeIf(w -> w.waiter() == waiter);
  }

  private boolean fits(long bytes) {
    return reserved == 0 || reserved + bytes <= budget;
  }

  long budget() {
    return budget;
  }

  synchronized long reserved() {
    return reserved;
  }

  /** Requests that had to wait for memory since the start. */
  synchronized long waits() {
    return waits;
  }
}
