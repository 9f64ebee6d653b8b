package io.logd.bench.server;

import io.logd.bench.data.Dataset;
import io.logd.bench.data.Ndjson;
import io.logd.bench.data.SyslogLines;
import io.logd.event.LogEvent;
import io.logd.store.Retention;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The end-to-end load generator: drives a running logd with HTTP NDJSON ingest, syslog over UDP and
 * TCP, and searches, all at once, for a warm-up and then a measured window, and reports what each
 * sender got and what the server cost.
 *
 * <ul>
 *   <li><b>HTTP</b>: {@code --http-connections} threads post NDJSON batches of {@code --batch}
 *       events to {@code /api/v1/logs/bulk} as fast as acks return (closed loop; durable acks are
 *       the server's default), or with {@code --http-rate} events/s on a fixed schedule shared
 *       by the connections (a sender that falls behind sends its next batch at once). Each batch's ack latency goes into an HdrHistogram. 503 and 429
 *       are backpressure: the sender waits 50 ms and retries, and they are counted.
 *   <li><b>Syslog TCP</b>: {@code --tcp-connections} threads write octet-counted frames (RFC 6587)
 *       as fast as the socket takes them; logd stops reading while ingest pushes back.
 *   <li><b>Syslog UDP</b>: one thread sends {@code --udp-rate} datagrams a second on a fixed
 *       schedule; loss is sent minus what logd counted as received and stored.
 *   <li><b>Queries</b>: one thread issues {@code --qps} requests a second on a fixed schedule
 *       (open loop: latency counts from the scheduled time, so a stall cannot hide itself),
 *       rotating newest-100 searches (word, phrase, field, CIDR) over the last 15 minutes and a
 *       per-minute hits histogram of the last hour.
 * </ul>
 *
 * Events come from {@link Dataset} ({@code --dataset}, {@code --seed}, printed at the start) and
 * are generated before the run into a pool of {@code --pool} batches (HTTP without timestamps, so
 * the server stamps the receive time like a live feed; syslog lines stamped at generation), so the
 * generator's CPU is not spent during the run. At the end it waits until logd has indexed
 * everything and reports events/s and MB/s per transport and stored in all; ack and query latency
 * p50, p99 and p99.9; logd's resident memory (VmRSS of {@code --pid} from {@code /proc}, peak and
 * at the end); and disk bytes per event of {@code --data} against the raw bytes sent.
 *
 * <pre>
 * benchmarks/loadgen.sh [--http-connections 8] [--batch 1000] [--tcp-connections 0] [--udp-rate 0]
 *     [--http-rate 0] [--qps 20] [--seconds 60] [--warmup 10] [--dataset mixed] [--seed 1] [--pool 64] [--senders low]
 * </pre>
 *
 * The script starts the server and passes {@code --url}, {@code --key}, {@code --pid}, {@code
 * --data}, {@code --syslog-udp} and {@code --syslog-tcp} ({@code host:port}).
 *
 * <p>{@code --senders low} (the default) runs the ingest senders at the lowest Java priority, which
 * the script maps to nice 10 as the launcher does for logd's background work: the senders stand in
 * for shippers on other hosts, and at normal priority on a two-core box they would take CPU from
 * the very searches being measured. {@code --senders normal} measures with them competing equally.
 */
public final class LoadGen {
  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Map<String, String> opts;
  private final String url;
  private final String key;
  private final int connections;
  private final int batch;
  private final int tcpConnections;
  private final int udpRate;
  private final int qps;
  private final int seconds;
  private final int warmup;
  private final int poolBatches;
  /** Events a second over all HTTP connections; 0 sends as fast as acks return. */
  private final int httpRate;
  private final Dataset data;
  private final HttpClient queryHttp;

  private final List<byte[]> bodies = new ArrayList<>();
  private final List<byte[]> lines = new ArrayList<>();
  /** {@link #lines} framed by octet counting, for TCP. */
  private final List<byte[]> frames = new ArrayList<>();
  private long bodyBytes;
  private long lineBytes;

  private volatile boolean measuring;
  private volatile boolean stopping;
  private final AtomicLong httpEvents = new AtomicLong();
  private final AtomicLong httpBytes = new AtomicLong();
  private final AtomicLong httpEventsAll = new AtomicLong();
  private final AtomicLong httpBytesAll = new AtomicLong();
  private final AtomicLong pushbacks = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong tcpMessages = new AtomicLong();
  private final AtomicLong tcpBytes = new AtomicLong();
  private final AtomicLong tcpMessagesAll = new AtomicLong();
  private final AtomicLong tcpBytesAll = new AtomicLong();
  private final AtomicLong udpMessages = new AtomicLong();
  private final AtomicLong udpMessagesAll = new AtomicLong();
  private final AtomicLong udpBytesAll = new AtomicLong();
  private final AtomicLong queryErrors = new AtomicLong();
  private final Recorder acks = new Recorder(3);
  private final Recorder queries = new Recorder(3);
  private final Map<String, Recorder> queryKinds = new LinkedHashMap<>();
  private volatile long rssMaxKb;
  private double[] cpuBefore;
  private final int senderPriority;

  private LoadGen(Map<String, String> opts) {
    this.opts = opts;
    url = required("url");
    key = required("key");
    connections = intOpt("http-connections", 8);
    batch = intOpt("batch", 1000);
    tcpConnections = intOpt("tcp-connections", 0);
    udpRate = intOpt("udp-rate", 0);
    qps = intOpt("qps", 20);
    seconds = intOpt("seconds", 60);
    warmup = intOpt("warmup", 10);
    poolBatches = intOpt("pool", 64);
    httpRate = intOpt("http-rate", 0);
    senderPriority = switch (opts.getOrDefault("senders", "low")) {
      case "low" -> Thread.MIN_PRIORITY;
      case "normal" -> Thread.NORM_PRIORITY;
      default -> throw new IllegalArgumentException("--senders must be low or normal, not " + opts.get("senders"));
    };
    data = Dataset.of(opts.getOrDefault("dataset", "mixed"), Long.parseLong(opts.getOrDefault("seed", "1")));
    queryHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("usage: LoadGen --url URL --key KEY [--name value]... (see the class comment)");
        System.exit(2);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    new LoadGen(opts).run();
  }

  private String required(String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  private int intOpt(String name, int dflt) {
    return opts.containsKey(name) ? Integer.parseInt(opts.get(name)) : dflt;
  }

  private void run() throws Exception {
    System.out.printf("LoadGen %s: %s; http %d connections x %d-event batches%s, syslog tcp %d connections, "
            + "udp %d msg/s, queries %d/s; senders at %s priority; %d s warm-up + %d s measured; %d cores here%n",
        url, data, connections, batch, httpRate > 0 ? String.format(" at %,d events/s", httpRate) : " as fast as acked",
        tcpConnections, udpRate, qps,
        senderPriority == Thread.MIN_PRIORITY ? "low" : "normal", warmup, seconds,
        Runtime.getRuntime().availableProcessors());
    generate();
    Map<String, Double> before = null;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int client = c;
      threads.add(Thread.ofPlatform().name("http-" + c).priority(senderPriority).start(() -> httpSender(client)));
    }
    if (tcpConnections > 0) {
      InetSocketAddress tcp = address(required("syslog-tcp"));
      for (int c = 0; c < tcpConnections; c++) {
        int client = c;
        threads.add(Thread.ofPlatform().name("tcp-" + c).priority(senderPriority).start(() -> tcpSender(tcp, client)));
      }
    }
    if (udpRate > 0) {
      InetSocketAddress udp = address(required("syslog-udp"));
      threads.add(Thread.ofPlatform().name("udp").priority(senderPriority).start(() -> udpSender(udp)));
    }
    Thread searcher = qps > 0 ? Thread.ofPlatform().name("query").start(this::querier) : null;

    long begin = System.nanoTime();
    long warmupEnd = begin + TimeUnit.SECONDS.toNanos(warmup);
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
    long nextReport = begin + TimeUnit.SECONDS.toNanos(10);
    double lastStored = metrics().getOrDefault("logd_ingest_events_total", 0.0);
    long lastReportAt = begin;
    while (System.nanoTime() < end) {
      Thread.sleep(250);
      sampleRss();
      long now = System.nanoTime();
      if (!measuring && now >= warmupEnd) {
        before = metrics();
        cpuBefore = cpuTimes();
        acks.reset();
        queries.reset();
        queryKinds.values().forEach(Recorder::reset);
        measuring = true;
      }
      if (now >= nextReport) {
        double stored = metrics().getOrDefault("logd_ingest_events_total", 0.0);
        System.out.printf("  %4.0f s: %,.0f events/s stored, index lag %,.0f, RSS %,d MB%s%n", (now - begin) / 1e9,
            (stored - lastStored) / ((now - lastReportAt) / 1e9), metrics().getOrDefault("logd_index_lag_events", 0.0),
            rssKb() / 1024, measuring ? "" : " (warm-up)");
        lastStored = stored;
        lastReportAt = now;
        nextReport += TimeUnit.SECONDS.toNanos(10);
      }
    }
    measuring = false;
    Map<String, Double> after = metrics();
    double[] cpuAfter = cpuTimes();
    double window = seconds;
    stopping = true;
    for (Thread t : threads) {
      t.join(30_000);
    }
    if (searcher != null) {
      searcher.join(30_000);
    }
    Histogram a = acks.getIntervalHistogram();
    Histogram q = queries.getIntervalHistogram();

    // Everything sent is either stored (and then indexed) or lost; wait for the index to catch up.
    long settleStart = System.nanoTime();
    double stored;
    while (true) {
      Map<String, Double> m = metrics();
      stored = m.getOrDefault("logd_ingest_events_total", 0.0);
      if (m.getOrDefault("logd_index_lag_events", 0.0) == 0 && m.getOrDefault("logd_ingest_queue_events", 0.0) == 0
          && m.getOrDefault("logd_index_events_total", 0.0) >= stored) {
        break;
      }
      if (System.nanoTime() - settleStart > TimeUnit.MINUTES.toNanos(10)) {
        System.out.println("  the index did not catch up within 10 minutes; disk figures are early");
        break;
      }
      Thread.sleep(200);
    }
    double settleSecs = (System.nanoTime() - settleStart) / 1e9;
    sampleRss();

    System.out.printf("%n== LoadGen results: %s, %d s measured after %d s warm-up%n", data, seconds, warmup);
    if (connections > 0) {
      System.out.printf("http ingest   %d conn x %d events: %,.0f events/s, %.1f MB/s acked; ack per batch ms: "
              + "p50=%.1f p99=%.1f p99.9=%.1f max=%.1f (n=%d); 503/429 pushbacks %d, failures %d%n",
          connections, batch, httpEvents.get() / window, httpBytes.get() / window / 1e6,
          a.getValueAtPercentile(50) / 1e3, a.getValueAtPercentile(99) / 1e3, a.getValueAtPercentile(99.9) / 1e3,
          a.getMaxValue() / 1e3, a.getTotalCount(), pushbacks.get(), failures.get());
    }
    if (tcpConnections > 0) {
      System.out.printf("syslog tcp    %d conn: %,.0f msg/s, %.1f MB/s written (logd read %,.0f msg/s)%n",
          tcpConnections, tcpMessages.get() / window, tcpBytes.get() / window / 1e6,
          delta(before, after, "logd_syslog_received_total{transport=\"tcp\"}") / window);
    }
    if (udpRate > 0) {
      double received = delta(before, after, "logd_syslog_received_total{transport=\"udp\"}");
      double dropped = sumDelta(before, after, "logd_syslog_dropped_total{transport=\"udp\"");
      long sent = udpMessages.get();
      System.out.printf("syslog udp    %,d msg/s offered: %,.0f msg/s sent, logd received %,.0f/s and dropped %,.0f/s;"
              + " lost in the kernel or by logd %.2f %%%n", udpRate, sent / window, received / window,
          dropped / window, sent == 0 ? 0.0 : 100.0 * (sent - (received - dropped)) / sent);
    }
    double storedRate = delta(before, after, "logd_ingest_events_total") / window;
    System.out.printf("stored, all transports: %,.0f events/s durable; everything indexed %.1f s after the senders stopped%n",
        storedRate, settleSecs);
    if (qps > 0) {
      System.out.printf("queries       %d/s scheduled: p50=%.1f p99=%.1f p99.9=%.1f max=%.1f ms (n=%d, errors %d)%n", qps,
          q.getValueAtPercentile(50) / 1e3, q.getValueAtPercentile(99) / 1e3, q.getValueAtPercentile(99.9) / 1e3,
          q.getMaxValue() / 1e3, q.getTotalCount(), queryErrors.get());
      System.out.printf("  logd's own search latency since start (logd_query_latency_seconds): p50=%.1f p99=%.1f p99.9=%.1f ms%n",
          after.getOrDefault("logd_query_latency_seconds{quantile=\"0.5\"}", 0.0) * 1e3,
          after.getOrDefault("logd_query_latency_seconds{quantile=\"0.99\"}", 0.0) * 1e3,
          after.getOrDefault("logd_query_latency_seconds{quantile=\"0.999\"}", 0.0) * 1e3);
      queryKinds.forEach((kind, r) -> {
        Histogram h = r.getIntervalHistogram();
        System.out.printf("  %-34s p50=%.1f p99=%.1f max=%.1f ms (n=%d)%n", kind, h.getValueAtPercentile(50) / 1e3,
            h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3, h.getTotalCount());
      });
    }
    if (cpuBefore != null) {
      double logdCpu = cpuAfter[0] - cpuBefore[0];
      double ownCpu = cpuAfter[1] - cpuBefore[1];
      double storedEvents = delta(before, after, "logd_ingest_events_total");
      System.out.printf("cpu           logd %.2f cores busy (%.1f us per stored event), LoadGen %.2f cores%s%n",
          logdCpu / window, storedEvents == 0 ? 0.0 : logdCpu * 1e6 / storedEvents, ownCpu / window,
          opts.containsKey("pid") ? "" : " (no --pid: logd not measured)");
    }
    if (opts.containsKey("pid")) {
      System.out.printf("logd memory   VmRSS peak %,d MB (sampled every 250 ms), now %,d MB, VmHWM %,d MB%n",
          rssMaxKb / 1024, rssKb() / 1024, status("VmHWM") / 1024);
    }
    if (opts.containsKey("data")) {
      Path dir = Path.of(opts.get("data"));
      long disk = Retention.directorySize(dir);
      long sentEvents = httpEventsAll.get() + tcpMessagesAll.get() + udpMessagesAll.get();
      long rawBytes = httpBytesAll.get() + tcpBytesAll.get() + udpBytesAll.get();
      double rawPerEvent = (double) rawBytes / Math.max(1, sentEvents);
      double diskPerEvent = disk / Math.max(1, stored);
      System.out.printf("disk          %,d bytes for %,.0f stored events = %.0f bytes/event; raw %.0f bytes/event sent"
              + " = %.2fx raw (store %,d + index %,d bytes; right after the run, before compactions settle)%n",
          disk, stored, diskPerEvent, rawPerEvent, diskPerEvent / rawPerEvent,
          Retention.directorySize(dir.resolve("store")), Retention.directorySize(dir.resolve("index")));
    }
  }

  /** Fills the pools: NDJSON bodies without timestamps, and syslog lines stamped now. */
  private void generate() {
    long t0 = System.nanoTime();
    long now = System.currentTimeMillis() * 1_000_000L;
    Ndjson json = new Ndjson();
    if (connections > 0) {
      for (int b = 0; b < poolBatches; b++) {
        json.reset();
        for (int i = 0; i < batch; i++) {
          json.add(data.next(now), false);
        }
        byte[] body = json.toByteArray();
        bodies.add(body);
        bodyBytes += body.length;
      }
    }
    if (tcpConnections > 0 || udpRate > 0) {
      for (int i = 0; i < poolBatches * 1000; i++) {
        LogEvent e = data.next(now + i * 1000L);
        String text = SyslogLines.line(e);
        byte[] line = text.getBytes(StandardCharsets.UTF_8);
        lines.add(line);
        frames.add(SyslogLines.octetCounted(text));
        lineBytes += line.length;
      }
    }
    System.out.printf("generated %d bodies (%.0f bytes/event as NDJSON) and %d syslog lines (%.0f bytes/line) in %.1f s%n",
        bodies.size(), bodies.isEmpty() ? 0.0 : (double) bodyBytes / ((long) bodies.size() * batch), lines.size(),
        lines.isEmpty() ? 0.0 : (double) lineBytes / lines.size(), (System.nanoTime() - t0) / 1e9);
  }

  /**
   * One keep-alive connection posting batches. It speaks HTTP/1.1 over a plain socket with the
   * request head prebuilt. With java.net.http.HttpClient the whole generator took 0.21 cores at
   * 39 k events/s; with this it takes 0.08-0.10 at 32-43 k. That is CPU a shipper on another host
   * would not take from logd.
   */
  private void httpSender(int client) {
    int n = client * 7;
    URI bulk = URI.create(url + "/api/v1/logs/bulk");
    String head = "POST " + bulk.getRawPath() + " HTTP/1.1\r\nHost: " + bulk.getHost() + ":" + bulk.getPort()
        + "\r\nX-API-Key: " + key + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: ";
    HttpConnection conn = null;
    // each sender's slot in the shared schedule: connections x batch events per interval
    long interval = httpRate > 0 ? (long) (1e9 * connections * batch / httpRate) : 0;
    long next = System.nanoTime() + interval * client / Math.max(1, connections);
    while (!stopping) {
      if (interval > 0) {
        long now;
        while ((now = System.nanoTime()) < next && !stopping) {
          LockSupport.parkNanos(next - now);
        }
        next = Math.max(next + interval, now - interval); // behind: no burst to catch up
      }
      byte[] body = bodies.get(n++ % bodies.size());
      boolean counted = measuring;
      long t0 = System.nanoTime();
      try {
        if (conn == null) {
          conn = new HttpConnection(new InetSocketAddress(bulk.getHost(), bulk.getPort()));
        }
        int status = conn.post((head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
        if (conn.closed) {
          conn.close();
          conn = null;
        }
        if (status == 200) {
          httpEventsAll.addAndGet(batch);
          httpBytesAll.addAndGet(body.length);
          if (counted && measuring) {
            httpEvents.addAndGet(batch);
            httpBytes.addAndGet(body.length);
            acks.recordValue((System.nanoTime() - t0) / 1000);
          }
        } else if (status == 503 || status == 429) {
          pushbacks.incrementAndGet();
          LockSupport.parkNanos(50_000_000); // honour the backpressure
        } else if (failures.incrementAndGet() <= 3) {
          System.out.printf("  http %d: %s%n", status, conn == null ? "(closed)" : conn.lastBody());
        }
      } catch (IOException e) {
        if (failures.incrementAndGet() <= 3) {
          System.out.printf("  http: %s%n", e);
        }
        if (conn != null) {
          conn.close();
          conn = null;
        }
        LockSupport.parkNanos(50_000_000);
      }
    }
    if (conn != null) {
      conn.close();
    }
  }

  /** A minimal HTTP/1.1 client connection: Content-Length and chunked responses, keep-alive. */
  private static final class HttpConnection {
    private final Socket socket = new Socket();
    private final OutputStream out;
    private final InputStream in;
    private byte[] body = new byte[4096];
    private int bodyLength;
    /** The server said {@code Connection: close}; open a new connection for the next request. */
    boolean closed;

    HttpConnection(InetSocketAddress address) throws IOException {
      socket.setTcpNoDelay(true);
      socket.connect(address, 5000);
      socket.setSoTimeout(60_000);
      out = new BufferedOutputStream(socket.getOutputStream(), 65536);
      in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
    }

    /** Sends one request and reads its whole response; returns the status code. */
    int post(byte[] head, byte[] requestBody) throws IOException {
      out.write(head);
      out.write(requestBody);
      out.flush();
      String statusLine = line();
      if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
        throw new IOException("bad status line: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon).strip();
        String value = colon < 0 ? "" : h.substring(colon + 1).strip();
        if (name.equalsIgnoreCase("content-length")) {
          length = Long.parseLong(value);
        } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
          chunked = true;
        } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
          closed = true;
        }
      }
      bodyLength = 0;
      if (chunked) {
        for (int size; (size = Integer.parseInt(line().split(";", 2)[0].strip(), 16)) > 0; ) {
          readBody(size);
          line();
        }
        while (!line().isEmpty()) {
          // trailers
        }
      } else if (length >= 0) {
        readBody((int) length);
      } else {
        throw new IOException("response without a length");
      }
      return status;
    }

    String lastBody() {
      return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }

    private void readBody(int n) throws IOException {
      if (bodyLength + n > body.length) {
        body = java.util.Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + n));
      }
      int read = in.readNBytes(body, bodyLength, n);
      if (read < n) {
        throw new IOException("connection closed in a response body");
      }
      bodyLength += n;
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder(64);
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          throw new IOException("connection closed in a response head");
        }
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private void tcpSender(InetSocketAddress address, int client) {
    try (Socket s = new Socket()) {
      s.connect(address, 5000);
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
      int n = client * 1013;
      while (!stopping) {
        int k = n++ % lines.size();
        byte[] line = lines.get(k);
        out.write(frames.get(k));
        tcpMessagesAll.incrementAndGet();
        tcpBytesAll.addAndGet(line.length);
        if (measuring) {
          tcpMessages.incrementAndGet();
          tcpBytes.addAndGet(line.length);
        }
      }
      out.flush();
    } catch (IOException e) {
      System.out.println("  tcp sender " + client + ": " + e);
    }
  }

  private void udpSender(InetSocketAddress address) {
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.connect(address);
      long interval = TimeUnit.SECONDS.toNanos(1) / udpRate;
      long next = System.nanoTime();
      int n = 0;
      while (!stopping) {
        long now;
        while ((now = System.nanoTime()) < next) {
          LockSupport.parkNanos(Math.min(next - now, 50_000));
        }
        next += interval; // when behind schedule, the backlog goes out at once rather than being skipped
        byte[] line = lines.get(n++ % lines.size());
        try {
          ch.write(ByteBuffer.wrap(line));
        } catch (IOException refused) {
          continue; // ICMP port unreachable from a previous datagram; count only what went out
        }
        udpMessagesAll.incrementAndGet();
        udpBytesAll.addAndGet(line.length);
        if (measuring) {
          udpMessages.incrementAndGet();
        }
      }
    } catch (IOException e) {
      System.out.println("  udp sender: " + e);
    }
  }

  private record Query(String kind, String path) {}

  private void querier() {
    String[] searches = {"timeout", "\"connection refused\"", "status:404", "path:/login", "client_ip:10.0.0.0/8",
      "level:error AND service:checkout"};
    List<Query> rotation = new ArrayList<>();
    for (String s : searches) {
      rotation.add(new Query("newest 100, last 15 min: " + s,
          "/api/v1/logs?limit=100&from=-15m&q=" + URLEncoder.encode(s, StandardCharsets.UTF_8)));
    }
    rotation.add(new Query("hits per minute, last hour", "/api/v1/logs/hits?from=-1h&step=1m"));
    rotation.add(new Query("hits per minute, last hour, status>=500",
        "/api/v1/logs/hits?from=-1h&step=1m&q=" + URLEncoder.encode("status:[500 TO 599]", StandardCharsets.UTF_8)));
    for (Query q : rotation) {
      queryKinds.put(q.kind(), new Recorder(3));
    }
    long interval = TimeUnit.SECONDS.toNanos(1) / qps;
    long next = System.nanoTime();
    for (int i = 0; !stopping; i++) {
      long now;
      while ((now = System.nanoTime()) < next) {
        LockSupport.parkNanos(next - now);
      }
      long scheduled = next;
      next += interval;
      Query q = rotation.get(i % rotation.size());
      boolean counted = measuring;
      try {
        // HttpURLConnection: java.net.http.HttpClient adds 2-3 ms a request here (see ComparePostgres#get).
        HttpURLConnection c = (HttpURLConnection) URI.create(url + q.path()).toURL().openConnection();
        c.setRequestProperty("X-API-Key", key);
        int status = c.getResponseCode();
        try (InputStream in = status == 200 ? c.getInputStream() : c.getErrorStream()) {
          if (in != null) {
            in.readAllBytes();
          }
        }
        if (status != 200) {
          queryErrors.incrementAndGet();
        } else if (counted && measuring) {
          long micros = (System.nanoTime() - scheduled) / 1000;
          queries.recordValue(micros);
          queryKinds.get(q.kind()).recordValue(micros);
        }
      } catch (IOException e) {
        queryErrors.incrementAndGet();
      }
    }
  }

  /** logd's /metrics as {@code name{labels} -> value}. */
  private Map<String, Double> metrics() {
    Map<String, Double> out = new HashMap<>();
    try {
      HttpResponse<String> resp = queryHttp.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      for (String line : resp.body().split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int sp = line.lastIndexOf(' ');
        try {
          out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
        } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
          // not a sample line
        }
      }
    } catch (IOException e) {
      System.out.println("  /metrics: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
    return after.getOrDefault(name, 0.0) - (before == null ? 0.0 : before.getOrDefault(name, 0.0));
  }

  /** The change of every sample whose name and labels start with {@code prefix}, summed. */
  private static double sumDelta(Map<String, Double> before, Map<String, Double> after, String prefix) {
    double sum = 0;
    for (Map.Entry<String, Double> e : after.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        sum += e.getValue() - (before == null ? 0.0 : before.getOrDefault(e.getKey(), 0.0));
      }
    }
    return sum;
  }

  /**
   * CPU seconds used so far, user plus system: {@code [logd (--pid), this JVM]}. logd's comes from
   * {@code /proc/PID/stat} in clock ticks (100 a second on Linux), 0 without {@code --pid}.
   */
  private double[] cpuTimes() {
    double own = 0;
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      own = os.getProcessCpuTime() / 1e9;
    }
    String pid = opts.get("pid");
    if (pid == null) {
      return new double[] {0, own};
    }
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // fields after the parenthesised command name; utime and stime are fields 14 and 15
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new double[] {(Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, own};
    } catch (IOException | RuntimeException e) {
      return new double[] {0, own};
    }
  }

  private void sampleRss() {
    long kb = rssKb();
    if (kb > rssMaxKb) {
      rssMaxKb = kb;
    }
  }

  private long rssKb() {
    return status("VmRSS");
  }

  /** A {@code kB} line of {@code /proc/PID/status}, or 0 without {@code --pid}. */
  private long status(String field) {
    String pid = opts.get("pid");
    if (pid == null) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
