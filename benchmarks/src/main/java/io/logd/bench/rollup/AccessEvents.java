package io.logd.bench.rollup;

import io.logd.event.Facility;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import java.util.Arrays;
import java.util.HashSet;
import java.util.SplittableRandom;

/**
 * Web access events with the skew real traffic has, for the rollup benchmarks: client IPs (10,000)
 * and paths (2,000) follow a Zipf law (s = 1), so a few carry most requests and a long tail is
 * seen once or twice a minute, which is what the top-K sketches must cope with; services (20) are
 * Zipf too, hosts (50) uniform; status mostly 200 with a few percent 4xx and 5xx; request time
 * log-normal around 25 ms in seconds with millisecond resolution, as nginx writes {@code
 * $request_time}. {@code TestEvents.nginx} (core tests) has one service, four hosts, eight paths
 * and uniformly random IPs, which would make the count maps trivial and every IP a sketch miss.
 *
 * <p>Deterministic for a seed.
 */
final class AccessEvents {
  static final int IPS = 10_000;
  static final int PATHS = 2_000;
  static final int SERVICES = 20;
  static final int HOSTS = 50;

  private static final String[] SERVICE_NAMES = {
    "frontend", "api-gateway", "checkout", "catalog", "search", "auth", "cart", "payments",
    "recommendations", "shipping", "inventory", "reviews", "images", "notifications", "accounts",
    "pricing", "orders", "ads", "analytics", "admin"
  };
  private static final String[] AGENTS = {
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "curl/8.5.0",
    "Go-http-client/1.1",
    "kube-probe/1.29"
  };
  private static final int[] STATUS = {200, 304, 301, 302, 404, 400, 401, 403, 429, 500, 502, 503};
  /** Cumulative per-mille of {@link #STATUS}: 78 % 200, 6 % 404, 2 % 5xx. */
  private static final int[] STATUS_CUMULATIVE = {780, 840, 860, 880, 940, 955, 970, 975, 980, 990, 995, 1000};

  private final String[] ips = new String[IPS];
  private final String[] paths = new String[PATHS];
  private final String[] hosts = new String[HOSTS];
  private final double[] ipCdf = zipfCdf(IPS);
  private final double[] pathCdf = zipfCdf(PATHS);
  private final double[] serviceCdf = zipfCdf(SERVICES);

  AccessEvents(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    HashSet<String> seen = new HashSet<>();
    for (int i = 0; i < IPS; ) {
      String ip = rnd.nextInt(4) == 0
          ? "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(1, 255)
          : rnd.nextInt(1, 224) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(1, 255);
      if (seen.add(ip)) {
        ips[i++] = ip;
      }
    }
    String[] shapes = {"/api/v1/users/%d", "/api/v1/orders/%d", "/products/%d", "/static/js/chunk-%x.js",
      "/images/%d.webp", "/api/v1/search?q=item%d", "/blog/post-%d", "/cart/%d"};
    paths[0] = "/";
    paths[1] = "/healthz";
    paths[2] = "/login";
    paths[3] = "/favicon.ico";
    for (int i = 4; i < PATHS; i++) {
      paths[i] = String.format(shapes[i % shapes.length], 1000 + i * 7919 % 100_000);
    }
    shuffle(paths, 4, rnd); // keep "/" and "/healthz" among the hottest, like real sites
    for (int i = 0; i < HOSTS; i++) {
      hosts[i] = String.format("node-%02d", i + 1);
    }
  }

  /** One event at {@code timeNanos}. */
  LogEvent next(SplittableRandom rnd, long timeNanos) {
    String ip = ips[sample(ipCdf, rnd)];
    String path = paths[sample(pathCdf, rnd)];
    String service = SERVICE_NAMES[sample(serviceCdf, rnd)];
    String host = hosts[rnd.nextInt(HOSTS)];
    int u = rnd.nextInt(1000);
    int s = 0;
    while (u >= STATUS_CUMULATIVE[s]) {
      s++;
    }
    int status = STATUS[s];
    long bytes = status == 304 ? 0 : Math.min(50_000_000L, Math.round(Math.exp(8.5 + 1.2 * rnd.nextGaussian())));
    // log-normal, median 25 ms; nginx writes seconds with three decimals
    double requestTime = Math.round(Math.min(60.0, Math.exp(Math.log(0.025) + 1.1 * rnd.nextGaussian())) * 1000) / 1000.0;
    String method = rnd.nextInt(100) < 85 ? "GET" : rnd.nextInt(4) == 0 ? "PUT" : "POST";
    String agent = AGENTS[rnd.nextInt(AGENTS.length)];
    Severity level = status >= 500 ? Severity.ERROR : status >= 400 ? Severity.WARN : Severity.INFO;
    return LogEvent.builder()
        .timestampNanos(timeNanos)
        .receivedNanos(timeNanos + rnd.nextLong(1_000_000))
        .host(host)
        .service(service)
        .level(level)
        .facility(Facility.LOCAL7)
        .message(ip + " - - \"" + method + " " + path + " HTTP/1.1\" " + status + " " + bytes + " \"-\" \"" + agent + "\"")
        .field("method", method)
        .field("path", path)
        .field("status", status)
        .field("bytes", bytes)
        .field("client_ip", ip)
        .field("request_time", requestTime)
        .field("user_agent", agent)
        .build();
  }

  private static double[] zipfCdf(int n) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / (k + 1);
      cdf[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cdf[k] /= sum;
    }
    cdf[n - 1] = 1.0;
    return cdf;
  }

  private static int sample(double[] cdf, SplittableRandom rnd) {
    int i = Arrays.binarySearch(cdf, rnd.nextDouble());
    return i >= 0 ? i : -i - 1;
  }

  private static void shuffle(String[] a, int from, SplittableRandom rnd) {
    for (int i = a.length - 1; i > from; i--) {
      int j = from + rnd.nextInt(i - from + 1);
      String t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
