package io.logd.bench.data;

import io.logd.event.Facility;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * xray-core proxy access lines ({@code from 203.0.113.7:51234 accepted tcp:www.example.com:443
 * [vless-in >> direct] email: u17@example.com}), the source of source/destination addresses and
 * ports: client IPs from the {@link AccessLogs} population, ephemeral source ports, destination
 * hosts Zipf over 500 names, ports mostly 443 with 80, 53 (udp), 22 and a long tail; about 2 % of
 * connections rejected by a blocking rule. Fields are what logd's xray parser extracts.
 *
 * <p>Deterministic for the caller's random source; thread-safe.
 */
public final class ProxyLogs {
  private static final String[] DESTINATIONS = new String[500];
  private static final Zipf DESTINATION_RANK = new Zipf(DESTINATIONS.length, 1.1);
  private static final String[] TLDS = {"com", "net", "org", "io", "de"};
  private static final String[] WORDS = {"cdn", "api", "static", "video", "mail", "img", "update", "push", "auth", "www"};

  static {
    DESTINATIONS[0] = "www.google.com";
    DESTINATIONS[1] = "api.github.com";
    DESTINATIONS[2] = "www.youtube.com";
    for (int i = 3; i < DESTINATIONS.length; i++) {
      DESTINATIONS[i] = WORDS[i % WORDS.length] + "." + "site" + (i * 31 % 997) + "." + TLDS[i % TLDS.length];
    }
  }

  private final AccessLogs fleet;

  /** @param fleet the population of client IPs and hosts to share */
  public ProxyLogs(AccessLogs fleet) {
    this.fleet = fleet;
  }

  /** One event at {@code timeNanos}. */
  public LogEvent next(SplittableRandom rnd, long timeNanos) {
    String ip = fleet.clientIp(rnd);
    int sourcePort = rnd.nextInt(32_768, 61_000);
    String dest = DESTINATIONS[DESTINATION_RANK.sample(rnd)];
    int u = rnd.nextInt(100);
    int destPort = u < 78 ? 443 : u < 88 ? 80 : u < 94 ? 53 : u < 96 ? 22 : rnd.nextInt(1024, 65_536);
    String network = destPort == 53 || rnd.nextInt(50) == 0 ? "udp" : "tcp";
    boolean rejected = rnd.nextInt(50) == 0;
    String inbound = rnd.nextInt(3) == 0 ? "socks-in" : "vless-in";
    String outbound = rejected ? "block" : destPort == 53 ? "dns-out" : "direct";
    String email = "u" + rnd.nextInt(200) + "@example.com";
    StringBuilder line = new StringBuilder(140);
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(timeNanos, 1_000_000_000L),
        (int) Math.floorMod(timeNanos, 1_000_000_000L), ZoneOffset.UTC);
    line.append(t.getYear()).append('/');
    AccessLogs.two(line, t.getMonthValue()).append('/');
    AccessLogs.two(line, t.getDayOfMonth()).append(' ');
    AccessLogs.two(line, t.getHour()).append(':');
    AccessLogs.two(line, t.getMinute()).append(':');
    AccessLogs.two(line, t.getSecond()).append(' ');
    line.append("from ").append(ip).append(':').append(sourcePort).append(rejected ? " rejected " : " accepted ")
        .append(network).append(':').append(dest).append(':').append(destPort).append(" [").append(inbound)
        .append(" >> ").append(outbound).append("] email: ").append(email);
    return LogEvent.builder()
        .timestampNanos(timeNanos)
        .receivedNanos(timeNanos + rnd.nextLong(1_000_000))
        .host(fleet.host(rnd))
        .service("xray")
        .level(rejected ? Severity.WARN : Severity.INFO)
        .facility(Facility.DAEMON)
        .message(line.toString())
        .field("source_ip", ip)
        .field("source_port", sourcePort)
        .field("dest_host", dest)
        .field("dest_port", destPort)
        .field("network", network)
        .field("action", rejected ? "rejected" : "accepted")
        .field("inbound", inbound)
        .field("outbound", outbound)
        .field("email", email)
        .build();
  }
}
