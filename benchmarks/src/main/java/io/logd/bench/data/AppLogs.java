package io.logd.bench.data;

import io.logd.event.Facility;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import java.util.SplittableRandom;

/**
 * Application logs of a microservice fleet, as structured loggers ship them: a level mix of about
 * 10 % debug, 72 % info, 11 % warn, 6 % error and 1 % crit; the services of {@link AccessLogs}
 * (Zipf); a message from one of a dozen templates with {@code key=value} pairs in the text, the
 * same values as typed fields ({@code trace_id}, {@code user_id}, {@code duration_ms}, ...); and on
 * errors a Java stack trace of 6 to 20 frames in the message, as a multi-line event. Messages
 * include the phrase {@code "connection refused"} and the word {@code timeout} (with seed 1, 2.6 %
 * and 3.7 % of app events, 0.65 % and 0.9 % of the {@code mixed} dataset), which the comparison
 * benchmarks search for.
 *
 * <p>Deterministic for the caller's random source; thread-safe.
 */
public final class AppLogs {
  private static final String[] USERS = new String[5_000];
  private static final Zipf USER_RANK = new Zipf(USERS.length, 0.8);
  private static final String[] EXCEPTIONS = {
    "java.net.ConnectException: Connection refused",
    "java.net.SocketTimeoutException: Read timed out",
    "java.lang.IllegalStateException: order already paid",
    "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"name\" is null",
    "org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint \"orders_pkey\"",
    "java.util.concurrent.TimeoutException: Timeout waiting for connection from pool"
  };
  private static final String[] FRAMES = {
    "io.netty.channel.AbstractChannelHandlerContext.invokeChannelRead(AbstractChannelHandlerContext.java:444)",
    "io.netty.handler.codec.ByteToMessageDecoder.channelRead(ByteToMessageDecoder.java:346)",
    "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)",
    "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
    "org.springframework.transaction.support.TransactionTemplate.execute(TransactionTemplate.java:140)",
    "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)",
    "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)",
    "java.base/java.lang.Thread.run(Thread.java:1583)",
    "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)",
    "org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:372)"
  };
  private static final String[] UPSTREAMS = {"postgres-primary", "redis-cache", "kafka-1", "payments-psp", "inventory-db"};
  private static final int[] UPSTREAM_PORTS = {5432, 6379, 9092, 443, 5432};

  static {
    for (int i = 0; i < USERS.length; i++) {
      USERS[i] = "u" + (100_000 + i * 7_919 % 900_000);
    }
  }

  private final AccessLogs fleet;

  /** @param fleet the fleet whose services, hosts and client IPs these logs share */
  public AppLogs(AccessLogs fleet) {
    this.fleet = fleet;
  }

  /** One event at {@code timeNanos}. */
  public LogEvent next(SplittableRandom rnd, long timeNanos) {
    String service = fleet.service(rnd);
    String host = fleet.host(rnd);
    String traceId = hex(rnd.nextLong()) + hex(rnd.nextLong());
    String user = USERS[USER_RANK.sample(rnd)];
    int u = rnd.nextInt(1000);
    Severity level = u < 100 ? Severity.DEBUG : u < 820 ? Severity.INFO : u < 930 ? Severity.WARN
        : u < 990 ? Severity.ERROR : Severity.CRIT;
    double duration = Math.round(Math.exp(Math.log(12) + 1.3 * rnd.nextGaussian()) * 100) / 100.0;
    LogEvent.Builder b = LogEvent.builder()
        .timestampNanos(timeNanos)
        .receivedNanos(timeNanos + rnd.nextLong(2_000_000))
        .host(host)
        .service(service)
        .level(level)
        .facility(Facility.LOCAL0)
        .field("trace_id", traceId)
        .field("user_id", user);
    StringBuilder msg = new StringBuilder(160);
    int upstream = rnd.nextInt(UPSTREAMS.length);
    switch (level) {
      case DEBUG -> {
        String key = "session:" + user + ":" + rnd.nextInt(100);
        msg.append(rnd.nextBoolean() ? "cache hit" : "cache miss").append(" key=").append(key)
            .append(" duration_ms=").append(duration);
        b.field("cache_key", key).field("duration_ms", duration);
      }
      case INFO -> {
        int t = rnd.nextInt(4);
        if (t == 0) {
          long order = 1_000_000 + rnd.nextInt(9_000_000);
          msg.append("order ").append(order).append(" created user=").append(user).append(" items=")
              .append(rnd.nextInt(1, 9)).append(" duration_ms=").append(duration);
          b.field("order_id", order).field("duration_ms", duration);
        } else if (t == 1) {
          String ip = fleet.clientIp(rnd);
          msg.append("user ").append(user).append(" logged in from ").append(ip).append(" method=")
              .append(rnd.nextInt(5) == 0 ? "sso" : "password");
          b.field("client_ip", ip);
        } else if (t == 2) {
          int status = rnd.nextInt(20) == 0 ? 201 : 200;
          msg.append("handled request route=/v1/").append(service).append(" status=").append(status)
              .append(" duration_ms=").append(duration);
          b.field("status", status).field("duration_ms", duration).field("route", "/v1/" + service);
        } else {
          msg.append("published event topic=").append(service).append(".events partition=")
              .append(rnd.nextInt(12)).append(" offset=").append(rnd.nextLong(1L << 32));
        }
      }
      case WARN -> {
        if (rnd.nextInt(4) == 0) {
          long ms = 1_000L * rnd.nextInt(1, 31);
          msg.append("request timeout after ").append(ms).append(" ms calling ").append(UPSTREAMS[upstream])
              .append(" attempt=").append(rnd.nextInt(1, 4));
          b.field("duration_ms", (double) ms).field("upstream", UPSTREAMS[upstream]);
        } else if (rnd.nextInt(3) == 0) {
          msg.append("slow query took ").append(Math.round(duration * 50)).append(" ms table=orders rows=")
              .append(rnd.nextInt(10_000));
          b.field("duration_ms", Math.round(duration * 50) * 1.0);
        } else {
          msg.append("retrying after status=503 from ").append(UPSTREAMS[upstream]).append(" backoff_ms=")
              .append(100 << rnd.nextInt(6));
          b.field("upstream", UPSTREAMS[upstream]);
        }
      }
      default -> {
        String exception = EXCEPTIONS[rnd.nextInt(EXCEPTIONS.length)];
        if (rnd.nextInt(4) == 0) {
          msg.append("connection refused to ").append(UPSTREAMS[upstream]).append(':')
              .append(UPSTREAM_PORTS[upstream]).append(", retrying in ").append(rnd.nextInt(1, 10)).append('s');
          b.field("upstream", UPSTREAMS[upstream]).field("dest_port", UPSTREAM_PORTS[upstream]);
          exception = EXCEPTIONS[0];
        } else {
          msg.append("unhandled error processing request user=").append(user).append(" trace_id=").append(traceId);
        }
        msg.append('\n').append(exception);
        int frames = rnd.nextInt(6, 21);
        for (int i = 0; i < frames; i++) {
          msg.append("\n\tat ").append(FRAMES[rnd.nextInt(FRAMES.length)]);
        }
        b.field("exception", exception.substring(0, exception.indexOf(':')));
      }
    }
    return b.message(msg.toString()).build();
  }

  private static String hex(long v) {
    String s = Long.toHexString(v);
    return s.length() == 16 ? s : "0".repeat(16 - s.length()) + s;
  }
}
