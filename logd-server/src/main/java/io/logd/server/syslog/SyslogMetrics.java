package io.logd.server.syslog;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one syslog transport ({@code udp}, {@code tcp} or {@code tls}), exposed at /metrics. */
public final class SyslogMetrics {
  private final String transport;
  final LongAdder received = new LongAdder();
  final LongAdder refusedSources = new LongAdder();
  final LongAdder droppedOverloaded = new LongAdder();
  final LongAdder droppedDiskFull = new LongAdder();
  final LongAdder droppedClosed = new LongAdder();
  final LongAdder truncated = new LongAdder();
  final LongAdder parseErrors = new LongAdder();
  final LongAdder connections = new LongAdder();
  final LongAdder openConnections = new LongAdder();
  final LongAdder pauses = new LongAdder();

  SyslogMetrics(String transport) {
    this.transport = transport;
  }

  /** {@code udp}, {@code tcp} or {@code tls}. */
  public String transport() {
    return transport;
  }

  /** Messages read off the wire (datagrams or frames), before any were dropped. */
  public long received() {
    return received.sum();
  }

  /** Datagrams or connections refused because their source is outside the allowed blocks. */
  public long refusedSources() {
    return refusedSources.sum();
  }

  /** Messages dropped because ingest was overloaded (UDP only: TCP pauses instead). */
  public long droppedOverloaded() {
    return droppedOverloaded.sum();
  }

  /** Messages dropped because the disk was below its free-space floor (UDP only). */
  public long droppedDiskFull() {
    return droppedDiskFull.sum();
  }

  /** Messages dropped because logd was shutting down. */
  public long droppedClosed() {
    return droppedClosed.sum();
  }

  /** Messages cut at the frame limit and stored with {@code truncated=true}. */
  public long truncated() {
    return truncated.sum();
  }

  /** Messages stored raw with a {@code parse_error} field. */
  public long parseErrors() {
    return parseErrors.sum();
  }

  /** Connections accepted since start (TCP and TLS). */
  public long connections() {
    return connections.sum();
  }

  /** Connections open now (TCP and TLS). */
  public long openConnections() {
    return openConnections.sum();
  }

  /** Times a connection stopped being read because ingest pushed back (TCP and TLS). */
  public long pauses() {
    return pauses.sum();
  }
}
