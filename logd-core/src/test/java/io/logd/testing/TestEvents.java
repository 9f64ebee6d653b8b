package io.logd.testing;

import io.logd.event.Facility;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import java.util.SplittableRandom;

/** Realistic test events: nginx-like access lines of about 250 bytes encoded. */
public final class TestEvents {
  private static final String[] PATHS = {
    "/index.html", "/api/v1/users", "/api/v1/orders/8812", "/static/app.3f9c2.js", "/login",
    "/healthz", "/api/v1/search?q=boots", "/favicon.ico"
  };
  private static final String[] HOSTS = {"web-1", "web-2", "web-3", "edge-fra-1"};
  private static final String[] AGENTS = {
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "curl/8.5.0",
    "Go-http-client/1.1"
  };
  private static final int[] STATUS = {200, 200, 200, 200, 304, 301, 404, 500, 503};

  private TestEvents() {}

  /** An nginx access event at {@code timeNanos}; {@code n} goes into the {@code n} field. */
  public static LogEvent nginx(SplittableRandom rnd, long timeNanos, long n) {
    String path = PATHS[rnd.nextInt(PATHS.length)];
    int status = STATUS[rnd.nextInt(STATUS.length)];
    String ip = "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(1, 255);
    int bytes = rnd.nextInt(100, 90_000);
    return LogEvent.builder()
        .timestampNanos(timeNanos)
        .receivedNanos(timeNanos + rnd.nextLong(1_000_000))
        .host(HOSTS[rnd.nextInt(HOSTS.length)])
        .service("nginx")
        .level(status >= 500 ? Severity.ERROR : Severity.INFO)
        .facility(Facility.LOCAL7)
        .message(ip + " - - \"GET " + path + " HTTP/1.1\" " + status + " " + bytes)
        .field("method", "GET")
        .field("path", path)
        .field("status", status)
        .field("bytes", bytes)
        .field("client_ip", ip)
        .field("request_time", rnd.nextInt(1, 2000) / 1000.0)
        .field("user_agent", AGENTS[rnd.nextInt(AGENTS.length)])
        .field("n", n)
        .build();
  }
}
