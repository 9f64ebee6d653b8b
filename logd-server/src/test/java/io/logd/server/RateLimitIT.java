package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.config.ConfigLoader;
import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.tenant.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-key token bucket: past the burst, 429 with Retry-After; other keys are unaffected. */
class RateLimitIT {
  @TempDir Path dir;

  @Test
  void aKeyOverItsRateGets429WithRetryAfter() throws Exception {
    LogdConfig cfg = ConfigLoader.load(null, Map.of("LOGD_ADMIN_KEY", "rate-admin-key-0123456789"), Map.of(
        "data_dir", dir.toString(), "http.port", "0", "http.bind", "127.0.0.1", "http.rate_limit", "1",
        "http.rate_burst", "3", "storage.min_free_disk", "0", "storage.rocksdb.block_cache", "8MiB"));
    HttpClient http = HttpClient.newHttpClient();
    try (Logd logd = Logd.builder().config(cfg).open()) {
      LogdServer server = LogdServer.start(logd, cfg.http());
      try {
        String other = logd.keys().createKey("default", Role.READ, "other").secret();
        int[] statuses = new int[5];
        HttpResponse<String> last = null;
        for (int i = 0; i < 5; i++) {
          last = http.send(request(server, "rate-admin-key-0123456789"), HttpResponse.BodyHandlers.ofString());
          statuses[i] = last.statusCode();
        }
        assertEquals(200, statuses[0]);
        assertEquals(200, statuses[2]);
        assertEquals(429, statuses[4], java.util.Arrays.toString(statuses));
        assertTrue(Long.parseLong(last.headers().firstValue("retry-after").orElse("0")) >= 1);
        assertTrue(last.body().contains("\"rate_limited\""), last.body());
        assertEquals(200, http.send(request(server, other), HttpResponse.BodyHandlers.ofString()).statusCode(),
            "buckets are per key");
      } finally {
        server.close();
      }
    }
  }

  private static HttpRequest request(LogdServer server, String key) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/logs?limit=1"))
        .header("X-API-Key", key).timeout(Duration.ofSeconds(10)).build();
  }
}
