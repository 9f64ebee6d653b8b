package io.logd.bench.data;

import io.logd.event.Facility;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import java.util.SplittableRandom;

/**
 * What a Linux host's own syslog carries: sshd logins and failed passwords (brute-force sources
 * from the {@link AccessLogs} IP population), cron jobs, systemd units, kernel firewall drops with
 * addresses, protocol and ports, and sudo. Programs and facilities are as rsyslog would label them;
 * a {@code pid} field is set where the line has one.
 *
 * <p>Deterministic for the caller's random source; thread-safe.
 */
public final class SystemLogs {
  private static final String[] UNITS = {"logrotate.service", "apt-daily.service", "certbot.timer", "fstrim.service", "man-db.service"};
  private static final String[] ADMINS = {"deploy", "ops", "ubuntu", "ansible"};
  private static final String[] GUESSES = {"admin", "root", "test", "oracle", "postgres", "git", "user"};

  private final AccessLogs fleet;

  /** @param fleet the population of client IPs and hosts to share */
  public SystemLogs(AccessLogs fleet) {
    this.fleet = fleet;
  }

  /** One event at {@code timeNanos}. */
  public LogEvent next(SplittableRandom rnd, long timeNanos) {
    LogEvent.Builder b = LogEvent.builder()
        .timestampNanos(timeNanos)
        .receivedNanos(timeNanos + rnd.nextLong(5_000_000))
        .host(fleet.host(rnd));
    int pid = rnd.nextInt(300, 400_000);
    int u = rnd.nextInt(100);
    if (u < 35) {
      String ip = fleet.clientIp(rnd);
      int port = rnd.nextInt(32_768, 61_000);
      boolean failed = rnd.nextInt(10) < 7;
      String user = failed ? GUESSES[rnd.nextInt(GUESSES.length)] : ADMINS[rnd.nextInt(ADMINS.length)];
      String text = failed
          ? "Failed password for " + (rnd.nextBoolean() ? "invalid user " : "") + user + " from " + ip + " port " + port + " ssh2"
          : "Accepted publickey for " + user + " from " + ip + " port " + port + " ssh2: ED25519 SHA256:"
              + Long.toHexString(rnd.nextLong());
      b.service("sshd").facility(Facility.AUTH).level(failed ? Severity.WARN : Severity.INFO).message(text)
          .field("pid", pid).field("source_ip", ip).field("source_port", port).field("user", user);
    } else if (u < 55) {
      String user = rnd.nextInt(4) == 0 ? "www-data" : "root";
      b.service("CRON").facility(Facility.CRON).level(Severity.INFO).field("pid", pid)
          .message("(" + user + ") CMD (" + (user.equals("root") ? "cd / && run-parts --report /etc/cron.hourly"
              : "php /var/www/app/artisan schedule:run >> /dev/null 2>&1") + ")");
    } else if (u < 75) {
      String unit = UNITS[rnd.nextInt(UNITS.length)];
      String verb = rnd.nextInt(3) == 0 ? "Finished" : rnd.nextBoolean() ? "Starting" : "Started";
      b.service("systemd").facility(Facility.DAEMON).level(Severity.INFO).field("pid", 1)
          .message(verb + " " + unit + " - " + unit.substring(0, unit.indexOf('.')) + " job.");
    } else if (u < 95) {
      String ip = fleet.clientIp(rnd);
      boolean tcp = rnd.nextInt(5) > 0;
      int spt = rnd.nextInt(1024, 65_536);
      int[] common = {23, 445, 3389, 5900, 8080, 1433, 6379};
      int dpt = rnd.nextInt(3) == 0 ? rnd.nextInt(1, 65_536) : common[rnd.nextInt(common.length)];
      b.service("kernel").facility(Facility.KERN).level(Severity.WARN)
          .message("[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56 SRC=" + ip + " DST=198.51.100.10 LEN=44 TOS=0x00 "
              + "PREC=0x00 TTL=" + rnd.nextInt(30, 250) + " ID=" + rnd.nextInt(65_536) + " PROTO=" + (tcp ? "TCP" : "UDP")
              + " SPT=" + spt + " DPT=" + dpt + (tcp ? " WINDOW=1024 RES=0x00 SYN URGP=0" : " LEN=24"))
          .field("source_ip", ip).field("source_port", spt).field("dest_port", dpt)
          .field("network", tcp ? "tcp" : "udp");
    } else {
      String admin = ADMINS[rnd.nextInt(ADMINS.length)];
      b.service("sudo").facility(Facility.AUTHPRIV).level(Severity.NOTICE)
          .message(admin + " : TTY=pts/0 ; PWD=/home/" + admin + " ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx")
          .field("user", admin);
    }
    return b.build();
  }
}
