package io.logd.bench.data;

import io.logd.event.Facility;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * nginx access events with the skew real traffic has: client IPs (10,000) and paths (2,000) follow
 * a Zipf law (s = 1), so a few carry most requests and a long tail is seen once or twice a minute,
 * which is what top-K sketches and term dictionaries must cope with; services (20) are Zipf too,
 * hosts (50) uniform; status mostly 200 with a few percent 4xx and 5xx; user agents a browser,
 * mobile, bot and tooling mix; request time log-normal around 25 ms in seconds with millisecond
 * resolution, as nginx writes {@code $request_time}. The message is the nginx {@code combined}
 * line; the fields are what logd's nginx parser extracts from it.
 *
 * <p>The pools of IPs, paths and hosts are fixed by the constructor's seed; each event draws from
 * the caller's random source, so the same seeds give the same events. Thread-safe once built.
 */
public final class AccessLogs {
  public static final int IPS = 10_000;
  public static final int PATHS = 2_000;
  public static final int HOSTS = 50;

  /** The services of the generated fleet; app logs use the same names. */
  public static final List<String> SERVICES = List.of(
      "frontend", "api-gateway", "checkout", "catalog", "search", "auth", "cart", "payments",
      "recommendations", "shipping", "inventory", "reviews", "images", "notifications", "accounts",
      "pricing", "orders", "ads", "analytics", "admin");

  private static final String[] AGENTS = {
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "curl/8.5.0",
    "Go-http-client/1.1",
    "kube-probe/1.29"
  };
  private static final String[] REFERERS = {
    "-", "-", "-", "https://shop.example.com/", "https://www.google.com/", "https://shop.example.com/catalog"
  };
  private static final int[] STATUS = {200, 304, 301, 302, 404, 400, 401, 403, 429, 500, 502, 503};
  /** Cumulative per-mille of {@link #STATUS}: 78 % 200, 6 % 404, 2 % 5xx. */
  private static final int[] STATUS_CUMULATIVE = {780, 840, 860, 880, 940, 955, 970, 975, 980, 990, 995, 1000};
  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  private final String[] ips = new String[IPS];
  private final String[] paths = new String[PATHS];
  private final String[] hosts = new String[HOSTS];
  private final Zipf ipRank = new Zipf(IPS, 1);
  private final Zipf pathRank = new Zipf(PATHS, 1);
  private final Zipf serviceRank = new Zipf(SERVICES.size(), 1);

  public AccessLogs(long seed) {
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

  /** A client IP drawn with this generator's Zipf skew (other generators share the population). */
  String clientIp(SplittableRandom rnd) {
    return ips[ipRank.sample(rnd)];
  }

  String host(SplittableRandom rnd) {
    return hosts[rnd.nextInt(HOSTS)];
  }

  String service(SplittableRandom rnd) {
    return SERVICES.get(serviceRank.sample(rnd));
  }

  /** One event at {@code timeNanos}. */
  public LogEvent next(SplittableRandom rnd, long timeNanos) {
    String ip = clientIp(rnd);
    String path = paths[pathRank.sample(rnd)];
    String service = service(rnd);
    String host = host(rnd);
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
    long received = timeNanos + rnd.nextLong(1_000_000);
    String referer = REFERERS[rnd.nextInt(REFERERS.length)];
    String protocol = rnd.nextInt(10) < 7 ? "HTTP/1.1" : "HTTP/2.0";
    Severity level = status >= 500 ? Severity.ERROR : status >= 400 ? Severity.WARN : Severity.INFO;
    StringBuilder line = new StringBuilder(200 + agent.length());
    line.append(ip).append(" - - [");
    appendNginxTime(line, timeNanos);
    line.append("] \"").append(method).append(' ').append(path).append(' ').append(protocol).append("\" ")
        .append(status).append(' ').append(bytes).append(" \"").append(referer).append("\" \"").append(agent)
        .append('"');
    LogEvent.Builder b = LogEvent.builder()
        .timestampNanos(timeNanos)
        .receivedNanos(received)
        .host(host)
        .service(service)
        .level(level)
        .facility(Facility.LOCAL7)
        .message(line.toString())
        .field("method", method)
        .field("path", path)
        .field("protocol", protocol)
        .field("status", status)
        .field("bytes", bytes)
        .field("client_ip", ip)
        .field("request_time", requestTime)
        .field("user_agent", agent);
    if (!referer.equals("-")) {
      b.field("referer", referer);
    }
    return b.build();
  }

  /** nginx's {@code $time_local} in UTC: {@code 04/Dec/2026:10:00:00 +0000}. */
  static void appendNginxTime(StringBuilder sb, long nanos) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), 0, ZoneOffset.UTC);
    two(sb, t.getDayOfMonth()).append('/').append(MONTHS[t.getMonthValue() - 1]).append('/').append(t.getYear())
        .append(':');
    two(sb, t.getHour()).append(':');
    two(sb, t.getMinute()).append(':');
    two(sb, t.getSecond()).append(" +0000");
  }

  static StringBuilder two(StringBuilder sb, int v) {
    return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
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
