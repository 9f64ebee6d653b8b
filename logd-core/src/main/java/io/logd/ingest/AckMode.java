package io.logd.ingest;

import java.util.Locale;

/** When an ingest is acknowledged. */
public enum AckMode {
  /** After the events are in RocksDB's WAL and the WAL is fsync'd (group commit shares the fsync). */
  DURABLE,
  /** After the events are written to the WAL, without waiting for an fsync. */
  FAST;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code durable} or {@code fast}; null for anything else. */
  public static AckMode parse(String text) {
    if (text == null) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "durable" -> DURABLE;
      case "fast" -> FAST;
      default -> null;
    };
  }
}
