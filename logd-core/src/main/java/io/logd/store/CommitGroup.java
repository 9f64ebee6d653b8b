package io.logd.store;

import io.logd.event.LogEvent;
import java.util.Arrays;

/**
 * The events of one group commit, in commit order, as parallel arrays: tenant, event time, encoded
 * value and (after {@link EventStore#commit}) seq. Built and committed by the pipeline's writer
 * thread, then handed read-only to commit listeners (index, rollups, tail).
 */
public final class CommitGroup {
  private int size;
  private int[] tenants;
  private long[] times;
  private long[] seqs;
  private byte[][] values;
  private LogEvent[] events;

  public CommitGroup(int capacity) {
    int c = Math.max(16, capacity);
    tenants = new int[c];
    times = new long[c];
    seqs = new long[c];
    values = new byte[c][];
    events = new LogEvent[c];
  }

  /**
   * The same group without its decoded events: listeners that may hold a group for a while (the
   * indexer under load) keep only the compact encoded values alive and decode each event when they
   * reach it. A queue of decoded events is a large graph of young objects that every young
   * collection has to copy, and its pauses are what searches wait for under ingest. The view
   * shares the arrays and is read-only.
   */
  public CommitGroup encodedOnly() {
    return new CommitGroup(size, tenants, times, seqs, values);
  }

  private CommitGroup(int size, int[] tenants, long[] times, long[] seqs, byte[][] values) {
    this.size = size;
    this.tenants = tenants;
    this.times = times;
    this.seqs = seqs;
    this.values = values;
    this.events = new LogEvent[0];
  }

  /**
   * Appends an event. {@code event} is the decoded form when the caller has it (saving listeners a
   * decode), or null.
   */
  public void add(int tenant, long timeNanos, byte[] value, LogEvent event) {
    if (size == tenants.length) {
      int c = size * 2;
      tenants = Arrays.copyOf(tenants, c);
      times = Arrays.copyOf(times, c);
      seqs = Arrays.copyOf(seqs, c);
      values = Arrays.copyOf(values, c);
      events = Arrays.copyOf(events, c);
    }
    tenants[size] = tenant;
    times[size] = timeNanos;
    values[size] = value;
    events[size] = event;
    size++;
  }

  public int size() {
    return size;
  }

  public int tenant(int i) {
    return tenants[i];
  }

  public long timeNanos(int i) {
    return times[i];
  }

  public byte[] value(int i) {
    return values[i];
  }

  /** The decoded event, decoding it from its value when the producer did not pass it. */
  public LogEvent event(int i) {
    LogEvent e = i < events.length ? events[i] : null;
    return e != null ? e : EventCodec.local().decode(times[i], values[i]);
  }

  public long seq(int i) {
    return seqs[i];
  }

  void setSeq(int i, long seq) {
    seqs[i] = seq;
  }

  /** The highest seq of the group; only meaningful after commit. */
  public long lastSeq() {
    return size == 0 ? 0 : seqs[size - 1];
  }

  /** Total encoded bytes of the group's values. */
  public long valueBytes() {
    long n = 0;
    for (int i = 0; i < size; i++) {
      n += values[i].length;
    }
    return n;
  }
}
