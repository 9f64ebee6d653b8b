package io.logd.rollup;

/**
 * The parts of a rollup, each stored as its own row so that a query reads only what it needs.
 * The ordinal is the on-disk section byte: append new sections, never reorder.
 */
public enum Section {
  /** Total events, errors and the sum of {@code bytes}. */
  COUNTS,
  /** Events by level name. */
  LEVEL,
  /** Events by service. */
  SERVICE,
  /** Events by host. */
  HOST,
  /** Events by exact HTTP status code. */
  STATUS,
  /** The latency histogram of all events. */
  LATENCY,
  /** Frequent {@code source_ip} (or {@code client_ip}) values. */
  SOURCE_IP,
  /** Frequent {@code dest_port} values. */
  DEST_PORT,
  /** Frequent {@code path} values. */
  PATH,
  /** Latency histograms per service (apart from {@link #LATENCY}, which overviews read alone). */
  SERVICE_LATENCY;

  /** The sections counted exactly, by key. */
  public boolean isCountMap() {
    return this == LEVEL || this == SERVICE || this == HOST || this == STATUS;
  }

  /** The sections kept as frequent-items summaries. */
  public boolean isTopK() {
    return this == SOURCE_IP || this == DEST_PORT || this == PATH;
  }
}
