package io.logd.engine;

import io.logd.config.LogdConfig;
import io.logd.event.LogEvent;
import io.logd.ingest.AckMode;
import io.logd.ingest.IngestPipeline;
import io.logd.testing.TestEvents;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link CrashIT}: ingests (and indexes) at full speed from several threads and
 * prints one line {@code A <producer> <firstN> <lastN>} to stdout after each durable ack, until it
 * is killed. Arguments: data dir, seed, producers, index commit interval in ms, rollup flush
 * interval in ms.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    int producers = Integer.parseInt(args[2]);
    long commitMillis = Long.parseLong(args[3]);
    long flushMillis = Long.parseLong(args[4]);
    LogdConfig d = LogdConfig.defaults();
    LogdConfig.Ingest ingest = new LogdConfig.Ingest(AckMode.DURABLE, 50_000, d.ingest().maxGroupEvents());
    LogdConfig.Index index = new LogdConfig.Index(
        d.index().refreshInterval(), Duration.ofMillis(commitMillis), d.index().maxFieldsPerEvent(),
        d.index().maxFieldsPerDay(), d.index().threads());
    LogdConfig config = new LogdConfig(dataDir, d.http(), d.syslog(), d.auth(), ingest, d.storage(), index,
        new LogdConfig.Rollups(true, Duration.ofMillis(flushMillis), d.rollups().maxOpenMinutes(), d.rollups().maxKeys()));
    Logd logd = Logd.builder().config(config).open();
    PrintStream out = new PrintStream(System.out, false);
    synchronized (out) {
      out.println("READY");
      out.flush();
    }
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      threads.add(Thread.ofPlatform().start(() -> produce(logd, out, producer, new SplittableRandom(seed + producer))));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private static void produce(Logd logd, PrintStream out, int producer, SplittableRandom rnd) {
    long n = 0;
    while (true) {
      int size = rnd.nextInt(1, 300);
      List<LogEvent> batch = new ArrayList<>(size);
      long first = n;
      for (int i = 0; i < size; i++) {
        // Event times jump around, so keys land all over the key space, as with real senders.
        long time = 1_795_000_000_000_000_000L + rnd.nextLong(7 * 86_400_000_000_000L);
        LogEvent e = TestEvents.nginx(rnd, time, n++);
        batch.add(LogEvent.builder()
            .timestampNanos(e.timestampNanos()).receivedNanos(e.receivedNanos()).host(e.host())
            .service(e.service()).level(e.level()).message(e.message())
            .field("p", producer).field("n", n - 1).field("status", e.fields().get("status"))
            .build());
      }
      long last = n - 1;
      while (true) {
        IngestPipeline.Offer offer = logd.ingest(Logd.DEFAULT_TENANT, batch);
        if (offer instanceof IngestPipeline.Accepted a) {
          a.ack().thenRun(() -> {
            synchronized (out) {
              out.println("A " + producer + " " + first + " " + last);
              out.flush();
            }
          });
          break;
        }
        LockSupport.parkNanos(200_000); // overloaded: back off like a real sender
      }
    }
  }
}
