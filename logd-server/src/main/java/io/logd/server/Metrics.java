package io.logd.server;

import io.logd.engine.Health;
import io.logd.engine.Logd;
import io.logd.ingest.IngestPipeline;
import io.logd.server.syslog.SyslogMetrics;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * logd's own metrics in the Prometheus text format. Latencies are HdrHistogram recordings,
 * accumulated since start and exposed as summaries (quantiles, sum and count).
 */
final class Metrics {
  private final Recorder queries = new Recorder(3);
  private final Histogram queriesTotal = new Histogram(3);
  private final Histogram commitsTotal = new Histogram(3);

  private volatile List<SyslogMetrics> syslog = List.of();
  private volatile BodyMemory bodyMemory;

  void bodyMemory(BodyMemory memory) {
    this.bodyMemory = memory;
  }

  void syslog(List<SyslogMetrics> syslog) {
    this.syslog = List.copyOf(syslog);
  }

  void recordQuery(long nanos) {
    queries.recordValue(Math.max(0, nanos));
  }

  synchronized String render(Logd logd) {
    StringBuilder out = new StringBuilder(2048);
    IngestPipeline.Stats s = logd.ingestStats();
    counter(out, "logd_ingest_events_total", "Events durably committed to the store.", s.committedEvents());
    counter(out, "logd_ingest_commits_total", "Group commits (one WriteBatch each).", s.groups());
    counter(out, "logd_ingest_fsyncs_total", "WAL fsyncs (one per durable group commit).", s.syncs());
    out.append("# HELP logd_ingest_rejected_total Ingest offers refused, by reason.\n")
        .append("# TYPE logd_ingest_rejected_total counter\n")
        .append("logd_ingest_rejected_total{reason=\"overloaded\"} ").append(s.rejectedOverloaded()).append('\n')
        .append("logd_ingest_rejected_total{reason=\"disk_full\"} ").append(s.rejectedDiskFull()).append('\n');
    gauge(out, "logd_ingest_queue_events", "Events waiting for the writer.", s.queuedEvents());
    BodyMemory bodies = bodyMemory;
    if (bodies != null) {
      gauge(out, "logd_http_body_bytes_reserved", "Request-body bytes being read or answered, of http.max_inflight_body_bytes.",
          bodies.reserved());
      gauge(out, "logd_http_body_bytes_budget", "The most request-body bytes read at once.", bodies.budget());
      counter(out, "logd_http_body_waits_total", "Requests whose body waited, unread, for memory.", bodies.waits());
    }
    counter(out, "logd_index_events_total", "Events added to the day indexes.", logd.index().indexedEvents());
    gauge(out, "logd_index_lag_events", "Events committed but not yet indexed.", logd.index().lagEvents());
    if (logd.rollups().isPresent()) {
      gauge(out, "logd_rollup_lag_events", "Events committed but not yet counted in the rollups.",
          logd.rollups().get().lagEvents());
    }
    counter(out, "logd_tail_dropped_groups_total",
        "Commit groups live tail skipped because its dispatcher was behind.", logd.tail().droppedGroups());
    counter(out, "logd_tail_dropped_events_total",
        "Events live tail subscribers missed because they read slower than events came.", logd.tail().droppedEvents());
    gauge(out, "logd_tail_subscribers", "Open live tail and stream subscriptions.", logd.tail().subscriberCount());
    renderSyslog(out);
    Health h = logd.health();
    gauge(out, "logd_disk_free_bytes", "Usable bytes on the data volume.", h.diskFreeBytes());
    gauge(out, "logd_up", "1 when store, index, rollups and disk are all ok.", h.ok() ? 1 : 0);
    commitsTotal.add(logd.takeCommitLatency());
    summary(out, "logd_commit_latency_seconds", "Group commit latency: RocksDB write plus fsync.", commitsTotal);
    queriesTotal.add(queries.getIntervalHistogram());
    summary(out, "logd_query_latency_seconds", "Search latency as served by GET /api/v1/logs.", queriesTotal);
    return out.toString();
  }

  private void renderSyslog(StringBuilder out) {
    List<SyslogMetrics> listeners = syslog;
    if (listeners.isEmpty()) {
      return;
    }
    labelled(out, "logd_syslog_received_total", "counter", "Syslog messages read off the wire.",
        listeners, SyslogMetrics::received);
    out.append("# HELP logd_syslog_dropped_total Syslog messages dropped (UDP cannot push back), by reason.\n")
        .append("# TYPE logd_syslog_dropped_total counter\n");
    for (SyslogMetrics m : listeners) {
      dropped(out, m, "overloaded", m.droppedOverloaded());
      dropped(out, m, "disk_full", m.droppedDiskFull());
      dropped(out, m, "closed", m.droppedClosed());
    }
    labelled(out, "logd_syslog_refused_sources_total", "counter",
        "Datagrams or connections refused because the source is outside the listener's allow list.",
        listeners, SyslogMetrics::refusedSources);
    labelled(out, "logd_syslog_truncated_total", "counter", "Syslog messages cut at syslog.max_frame.",
        listeners, SyslogMetrics::truncated);
    labelled(out, "logd_syslog_parse_errors_total", "counter",
        "Syslog messages stored raw with a parse_error field.", listeners, SyslogMetrics::parseErrors);
    labelled(out, "logd_syslog_connections_total", "counter", "Syslog connections accepted.",
        listeners, SyslogMetrics::connections);
    labelled(out, "logd_syslog_open_connections", "gauge", "Syslog connections open now.",
        listeners, SyslogMetrics::openConnections);
    labelled(out, "logd_syslog_pauses_total", "counter",
        "Times a syslog connection stopped being read because ingest pushed back.",
        listeners, SyslogMetrics::pauses);
  }

  private static void dropped(StringBuilder out, SyslogMetrics m, String reason, long value) {
    out.append("logd_syslog_dropped_total{transport=\"").append(m.transport()).append("\",reason=\"")
        .append(reason).append("\"} ").append(value).append('\n');
  }

  private static void labelled(StringBuilder out, String name, String type, String help,
      List<SyslogMetrics> listeners, ToLongFunction<SyslogMetrics> value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    for (SyslogMetrics m : listeners) {
      out.append(name).append("{transport=\"").append(m.transport()).append("\"} ")
          .append(value.applyAsLong(m)).append('\n');
    }
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
  }

  private static void summary(StringBuilder out, String name, String help, Histogram h) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" summary\n");
    for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
      out.append(name).append("{quantile=\"").append(q).append("\"} ")
          .append(seconds(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(q * 100))).append('\n');
    }
    out.append(name).append("_sum ").append(seconds((long) (h.getMean() * h.getTotalCount()))).append('\n');
    out.append(name).append("_count ").append(h.getTotalCount()).append('\n');
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
  }
}
