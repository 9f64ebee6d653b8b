package io.logd.rollup;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The aggregate of one tenant's events over a span (a minute, an hour, a day, or a query's range or
 * bucket). A query fills only the sections it asked for; the others read as empty.
 *
 * <p>Latencies are recorded in microseconds in HdrHistogram with 2 significant digits, so a
 * percentile is within 1% of the exact value.
 */
public final class Rollup {
  /** Significant digits of the latency histograms. */
  public static final int LATENCY_DIGITS = 2;
  /** Services with a latency histogram of their own per row; the rest count in the total one. */
  static final int MAX_LATENCY_SERVICES = 64;
  /** Latencies above this (a day, in µs) are recorded as this. */
  static final long MAX_LATENCY_MICROS = 86_400_000_000L;
  /** Histograms start with room for latencies up to this (a minute, in µs). */
  private static final long TYPICAL_MAX_LATENCY_MICROS = 60_000_000L;

  final long startMinute;
  long total;
  long errors;
  long bytes;
  final CountMap level = new CountMap();
  final CountMap service = new CountMap();
  final CountMap host = new CountMap();
  final CountMap status = new CountMap();
  Histogram latency;
  final HashMap<String, Histogram> latencyByService = new HashMap<>();
  TopK sourceIp;
  TopK destPort;
  TopK path;

  Rollup(long startMinute) {
    this.startMinute = startMinute;
  }

  /**
   * Sized for latencies up to a minute, still growing past that. Starting small made every new
   * minute's histograms resize through an exception HdrHistogram throws and catches internally.
   */
  static Histogram newHistogram() {
    Histogram h = new Histogram(TYPICAL_MAX_LATENCY_MICROS, LATENCY_DIGITS);
    h.setAutoResize(true);
    return h;
  }

  /** The span's first minute (epoch minutes, UTC). */
  public long startMinute() {
    return startMinute;
  }

  public long total() {
    return total;
  }

  /** Events with level error or worse, or with HTTP status 500 or more. */
  public long errors() {
    return errors;
  }

  /** The sum of the {@code bytes} field. */
  public long bytes() {
    return bytes;
  }

  /** Exact counts of a {@link Section#isCountMap() count section}, largest first. */
  public Map<String, Long> counts(Section section) {
    Map<String, Long> out = new LinkedHashMap<>();
    countMap(section).counts.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> e.getValue()[0]).reversed()
            .thenComparing(Map.Entry::getKey))
        .forEach(e -> out.put(e.getKey(), e.getValue()[0]));
    return out;
  }

  /** The count of one key of a count section. */
  public long count(Section section, String key) {
    return countMap(section).get(key);
  }

  /**
   * Events of a count section whose key was not kept because a row reached {@code
   * rollups.max_keys} distinct keys; 0 when every key is counted exactly.
   */
  public long overflow(Section section) {
    return countMap(section).overflow;
  }

  /** A copy of the latency histogram (µs) of every event with a latency; empty when none had one. */
  public Histogram latency() {
    return latency == null ? newHistogram() : latency.copy();
  }

  /**
   * A copy of one service's latency histogram (µs), from {@link Section#SERVICE_LATENCY}; empty
   * when it had none, or when the service was past the per-row cap of services with their own
   * histogram.
   */
  public Histogram latency(String service) {
    Histogram h = latencyByService.get(service);
    return h == null ? newHistogram() : h.copy();
  }

  /** The frequent-items summary of a {@link Section#isTopK() top section}. */
  public TopK top(Section section) {
    TopK t = switch (section) {
      case SOURCE_IP -> sourceIp;
      case DEST_PORT -> destPort;
      case PATH -> path;
      default -> throw new IllegalArgumentException(section + " is not a top-K section");
    };
    return t == null ? new TopK() : t;
  }

  CountMap countMap(Section section) {
    return switch (section) {
      case LEVEL -> level;
      case SERVICE -> service;
      case HOST -> host;
      case STATUS -> status;
      default -> throw new IllegalArgumentException(section + " is not a count section");
    };
  }

  void recordLatency(String serviceName, long micros) {
    long v = Math.max(0, Math.min(MAX_LATENCY_MICROS, micros));
    if (latency == null) {
      latency = newHistogram();
    }
    latency.recordValue(v);
    if (serviceName != null) {
      Histogram h = latencyByService.get(serviceName);
      if (h == null && latencyByService.size() < MAX_LATENCY_SERVICES) {
        h = newHistogram();
        latencyByService.put(serviceName, h);
      }
      if (h != null) {
        h.recordValue(v);
      }
    }
  }

  /**
   * Adds {@code other}'s sections in {@code sections}.
   *
   * @param topCapacity entries top-K summaries keep, or 0 to keep all (query results)
   */
  void merge(Rollup other, Set<Section> sections, int maxKeys, int topCapacity) {
    for (Section s : sections) {
      switch (s) {
        case COUNTS -> {
          total += other.total;
          errors += other.errors;
          bytes += other.bytes;
        }
        case LEVEL, SERVICE, HOST, STATUS -> countMap(s).merge(other.countMap(s), maxKeys);
        case LATENCY -> mergeLatency(other);
        case SERVICE_LATENCY -> mergeServiceLatency(other);
        case SOURCE_IP -> sourceIp = mergeTop(sourceIp, other.sourceIp, topCapacity);
        case DEST_PORT -> destPort = mergeTop(destPort, other.destPort, topCapacity);
        case PATH -> path = mergeTop(path, other.path, topCapacity);
      }
    }
  }

  private void mergeLatency(Rollup other) {
    if (other.latency != null) {
      if (latency == null) {
        latency = newHistogram();
      }
      latency.add(other.latency);
    }
  }

  private void mergeServiceLatency(Rollup other) {
    for (Map.Entry<String, Histogram> e : other.latencyByService.entrySet()) {
      Histogram h = latencyByService.get(e.getKey());
      if (h == null && latencyByService.size() < MAX_LATENCY_SERVICES) {
        h = newHistogram();
        latencyByService.put(e.getKey(), h);
      }
      if (h != null) {
        h.add(e.getValue());
      }
    }
  }

  private static TopK mergeTop(TopK mine, TopK theirs, int capacity) {
    if (theirs == null || theirs.isEmpty()) {
      return mine;
    }
    if (mine == null) {
      mine = new TopK(theirs.size());
    }
    mine.add(theirs);
    if (capacity > 0) {
      mine.truncate(capacity);
    }
    return mine;
  }

  /** Whether a section holds anything (empty sections are not written). */
  boolean has(Section s) {
    return switch (s) {
      case COUNTS -> total != 0 || errors != 0 || bytes != 0;
      case LEVEL, SERVICE, HOST, STATUS -> !countMap(s).isEmpty();
      case LATENCY -> latency != null && latency.getTotalCount() > 0;
      case SERVICE_LATENCY -> !latencyByService.isEmpty();
      case SOURCE_IP -> sourceIp != null && !sourceIp.isEmpty();
      case DEST_PORT -> destPort != null && !destPort.isEmpty();
      case PATH -> path != null && !path.isEmpty();
    };
  }
}
