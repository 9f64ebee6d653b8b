package io.logd.config;

import io.logd.ingest.AckMode;
import io.logd.parse.BodyFormat;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.time.Duration;

/**
 * The whole logd configuration as typed, validated values. Every key of {@code config/logd.yaml}
 * maps to exactly one component here (snake_case in YAML, camelCase here). Instances come from
 * {@link ConfigLoader}; {@link #defaults()} is the embedded {@code logd.yaml} with nothing overridden.
 */
public record LogdConfig(
    Path dataDir, Http http, Syslog syslog, Auth auth, Ingest ingest, Storage storage, Index index,
    Rollups rollups) {

  /** The embedded defaults, exactly as {@code config/logd.yaml} lists them. */
  public static LogdConfig defaults() {
    return ConfigLoader.defaults();
  }

  /** This configuration with another data directory. */
  public LogdConfig withDataDir(Path dir) {
    return new LogdConfig(dir, http, syslog, auth, ingest, storage, index, rollups);
  }

  /** This configuration with other ingest settings. */
  public LogdConfig withIngest(Ingest ingest) {
    return new LogdConfig(dataDir, http, syslog, auth, ingest, storage, index, rollups);
  }

  /**
   * HTTP listener. Port 0 picks a free port. {@code rateLimit} is requests per second per API key
   * (0 = unlimited), with bursts up to {@code rateBurst}. {@code maxInflightBodyBytes} bounds the
   * request bodies all connections hold at once (0 = a quarter of the heap); see {@link
   * #inflightBodyBudget()}.
   */
  public record Http(String bind, int port, long maxBodyBytes, long maxInflightBodyBytes, int rateLimit, int rateBurst) {
    /**
     * The bytes of request bodies admitted at once: {@code maxInflightBodyBytes}, or a quarter of
     * the heap when that is 0, and never less than one body of {@code maxBodyBytes}, so that any
     * acceptable request can be admitted.
     */
    public long inflightBodyBudget() {
      long budget = maxInflightBodyBytes > 0 ? maxInflightBodyBytes : Runtime.getRuntime().maxMemory() / 4;
      return Math.max(budget, maxBodyBytes);
    }
  }

  /**
   * Syslog listeners. {@code timezone} reads timestamps without an offset; {@code maxFrameBytes}
   * bounds one TCP/TLS message; {@code idleTimeout} of zero never closes idle connections.
   */
  public record Syslog(
      String bind, ZoneId timezone, long maxFrameBytes, Duration idleTimeout, Udp udp, Tcp tcp, Tls tls) {}

  /**
   * What every syslog listener has: whether it runs, its port (0 = a free one), the tenant (by
   * name) its messages are stored in, the source blocks it accepts, and how message bodies are read.
   */
  public sealed interface SyslogListener permits Udp, Tcp, Tls {
    boolean enabled();

    int port();

    String tenant();

    List<Cidr> allow();

    BodyFormat format();

    List<ParserRule> rules();

    /** The format for a message from {@code service} (may be null): the first matching rule's, else the default. */
    default BodyFormat formatFor(String service) {
      for (ParserRule r : rules()) {
        if (r.matches(service)) {
          return r.format();
        }
      }
      return format();
    }

    /** True when {@code address} (4 or 16 bytes) is inside one of the allowed blocks. */
    default boolean allows(byte[] address) {
      for (Cidr c : allow()) {
        if (c.contains(address)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Syslog over UDP; {@code receiveBufferBytes} is the socket's SO_RCVBUF. */
  public record Udp(boolean enabled, int port, long receiveBufferBytes, String tenant, List<Cidr> allow,
      BodyFormat format, List<ParserRule> rules) implements SyslogListener {
    public Udp {
      allow = List.copyOf(allow);
      rules = List.copyOf(rules);
    }
  }

  /** Syslog over TCP. */
  public record Tcp(boolean enabled, int port, String tenant, List<Cidr> allow, BodyFormat format,
      List<ParserRule> rules) implements SyslogListener {
    public Tcp {
      allow = List.copyOf(allow);
      rules = List.copyOf(rules);
    }
  }

  /** Syslog over TLS (RFC 5425); it runs only when {@code cert} and {@code key} are both set. */
  public record Tls(int port, Path cert, Path key, String tenant, List<Cidr> allow, BodyFormat format,
      List<ParserRule> rules) implements SyslogListener {
    public Tls {
      allow = List.copyOf(allow);
      rules = List.copyOf(rules);
    }

    @Override
    public boolean enabled() {
      return cert != null && key != null;
    }
  }

  /** "Messages whose service matches {@code service} (exactly, or by prefix when it ends in *) are read as {@code format}." */
  public record ParserRule(String service, BodyFormat format) {
    public boolean matches(String s) {
      if (s == null) {
        return false;
      }
      return service.endsWith("*") ? s.startsWith(service.substring(0, service.length() - 1)) : s.equals(service);
    }

    @Override
    public String toString() {
      return service + "=" + format.keyword();
    }
  }

  /** Authentication. {@code adminKey} presets the bootstrap admin key of tenant {@code default}. */
  public record Auth(String adminKey) {}

  /**
   * The ingest pipeline: ack mode, queue bound (in events) before backpressure, and the most events
   * one group commit writes.
   */
  public record Ingest(AckMode ack, int queueEvents, int maxGroupEvents) {}

  /** Storage: retention, the free-space floor below which ingest is refused, RocksDB tuning. */
  public record Storage(Retention retention, long minFreeDiskBytes, RocksDb rocksdb) {}

  /**
   * Retention. {@code maxAge} of zero keeps data forever; {@code maxDisk} bounds the data directory;
   * the check runs every {@code interval}.
   */
  public record Retention(Duration maxAge, DiskBudget maxDisk, Duration interval) {}

  /**
   * A disk budget: either absolute bytes or a percentage of the data volume's total size. Both zero
   * means no budget.
   */
  public record DiskBudget(long bytes, double percentOfVolume) {
    public static final DiskBudget NONE = new DiskBudget(0, 0);

    public boolean isSet() {
      return bytes > 0 || percentOfVolume > 0;
    }

    /** The budget in bytes for a volume of the given total size; {@code Long.MAX_VALUE} when unset. */
    public long resolve(long volumeTotalBytes) {
      if (bytes > 0) {
        return bytes;
      }
      if (percentOfVolume > 0) {
        return (long) (volumeTotalBytes * (percentOfVolume / 100.0));
      }
      return Long.MAX_VALUE;
    }
  }

  /** RocksDB tuning. */
  public record RocksDb(long blockCacheBytes, long writeBufferBytes, int maxBackgroundJobs) {}

  /**
   * The full-text day indexes: how often new events become searchable and how often Lucene
   * commits, the caps on indexed fields per event and distinct field names per day, and the
   * indexing threads (0 = one less than the cores, at least one).
   */
  public record Index(
      Duration refreshInterval, Duration commitInterval, int maxFieldsPerEvent, int maxFieldsPerDay, int threads) {}

  /**
   * The per-minute rollups behind the metrics API: on or off, how often open minutes are written,
   * how many open minutes memory holds before a forced write, and the distinct keys (services,
   * hosts, status codes, levels) a row counts before the rest go to {@code (other)}.
   */
  public record Rollups(boolean enabled, Duration flushInterval, int maxOpenMinutes, int maxKeys) {}
}
