package io.logd.server;

import io.logd.config.ConfigLoader;
import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real engine and HTTP server on a free loopback port, with a preset admin key, for the ITs. */
final class TestServer implements AutoCloseable {
  final Logd logd;
  final LogdServer server;
  final String adminKey;

  private TestServer(Logd logd, LogdServer server, String adminKey) {
    this.logd = logd;
    this.server = server;
    this.adminKey = adminKey;
  }

  /** Starts with small caches; {@code extra} overrides config keys (dotted names). */
  static TestServer start(Path dir, String adminKey, Map<String, String> extra) throws IOException {
    Map<String, String> overrides = new HashMap<>(Map.of(
        "data_dir", dir.toString(), "http.port", "0", "http.bind", "127.0.0.1",
        "storage.min_free_disk", "0", "storage.rocksdb.block_cache", "8MiB"));
    overrides.putAll(extra);
    LogdConfig cfg = ConfigLoader.load(null, Map.of("LOGD_ADMIN_KEY", adminKey), overrides);
    Logd logd = Logd.builder().config(cfg).open();
    try {
      return new TestServer(logd, LogdServer.start(logd, cfg.http()), adminKey);
    } catch (IOException | RuntimeException e) {
      logd.close();
      throw e;
    }
  }

  /**
   * Starts HTTP and syslog (UDP and TCP on free loopback ports unless {@code extra} says otherwise),
   * after creating {@code tenants} so listeners can be bound to them.
   */
  static TestServer startWithSyslog(Path dir, String adminKey, Map<String, String> extra, String... tenants)
      throws IOException {
    Map<String, String> overrides = new HashMap<>(Map.of(
        "data_dir", dir.toString(), "http.port", "0", "http.bind", "127.0.0.1",
        "storage.min_free_disk", "0", "storage.rocksdb.block_cache", "8MiB",
        "syslog.bind", "127.0.0.1", "syslog.udp.port", "0", "syslog.tcp.port", "0", "syslog.tls.port", "0"));
    overrides.putAll(extra);
    LogdConfig cfg = ConfigLoader.load(null, Map.of("LOGD_ADMIN_KEY", adminKey), overrides);
    Logd logd = Logd.builder().config(cfg).open();
    try {
      for (String t : tenants) {
        logd.keys().createTenant(t);
      }
      return new TestServer(logd, LogdServer.start(logd, cfg), adminKey);
    } catch (Exception e) {
      logd.close();
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }

  static TestServer start(Path dir, String adminKey) throws IOException {
    return start(dir, adminKey, Map.of());
  }

  int port() {
    return server.httpPort();
  }

  /** {@code http://127.0.0.1:PORT} followed by {@code pathAndQuery}. */
  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.httpPort() + pathAndQuery;
  }

  @Override
  public void close() throws IOException {
    try {
      server.close();
    } finally {
      logd.close();
    }
  }
}
