package io.logd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.logd.config.LogdConfig;
import io.logd.event.FieldValue;
import io.logd.query.TimeRange;
import io.logd.store.EventStore;
import io.logd.store.StoreOptions;
import io.logd.testing.RollupOracle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that ingests at full speed with SIGKILL at a random moment after its first
 * ack, reopens its store, and checks that every event whose durable ack the child printed is
 * present exactly once (and no event is present twice). Each repetition prints its seed; rerun one with -Dcrash.seed=N.
 */
class CrashIT {
  static final int PRODUCERS = 4;
  static final long BASE_SEED = Long.getLong("crash.seed", System.nanoTime());

  @TempDir Path tmp;

  @RepeatedTest(20)
  void everyAckedEventSurvivesSigkillExactlyOnce(RepetitionInfo rep) throws Exception {
    long seed = BASE_SEED + rep.getCurrentRepetition();
    SplittableRandom rnd = new SplittableRandom(seed);
    long killAfterMillis = rnd.nextLong(200, 2500);
    // Some runs die before any index commit, some after several: both must recover.
    long commitMillis = rnd.nextBoolean() ? 60_000 : rnd.nextLong(100, 1000);
    long flushMillis = rnd.nextBoolean() ? 5_000 : rnd.nextLong(50, 1000);
    System.out.println("CrashIT seed=" + seed + " killAfterMs=" + killAfterMillis + " indexCommitMs=" + commitMillis
        + " rollupFlushMs=" + flushMillis);
    Path dataDir = tmp.resolve("data");
    Files.createDirectories(dataDir);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dataDir.toString(), Long.toString(seed), Integer.toString(PRODUCERS),
                Long.toString(commitMillis), Long.toString(flushMillis))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Thread reader = Thread.ofPlatform().start(() -> pump(child.getInputStream(), stdout));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // The kill comes at a random moment after the first durable ack, so every run has acks to
    // check (a cold child on a busy machine can take longer than the shortest wait to ack once).
    while (!new String(snapshot(stdout), StandardCharsets.US_ASCII).contains("\nA ")) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        child.destroyForcibly();
        fail("child did not ack within 60 s (exit " + (child.isAlive() ? "n/a" : child.exitValue()) + ")");
      }
      Thread.sleep(10);
    }
    Thread.sleep(killAfterMillis);
    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    reader.join();

    Map<Integer, List<long[]>> acked = parseAcks(stdout.toByteArray());
    long ackedEvents = acked.values().stream().flatMap(List::stream).mapToLong(r -> r[1] - r[0] + 1).sum();
    assertTrue(ackedEvents > 0, "the child acked nothing before the kill; seed " + seed);

    Map<Long, Integer> seen = new HashMap<>();
    try (EventStore store = EventStore.open(dataDir.resolve("store"), StoreOptions.DEFAULTS)) {
      store.scan(Logd.DEFAULT_TENANT, 0, Long.MAX_VALUE, false, e -> {
        long p = ((FieldValue.LongValue) e.event().fields().get("p")).value();
        long n = ((FieldValue.LongValue) e.event().fields().get("n")).value();
        seen.merge((p << 40) | n, 1, Integer::sum);
        return true;
      });
    }
    for (Map.Entry<Long, Integer> e : seen.entrySet()) {
      if (e.getValue() != 1) {
        fail("event p=" + (e.getKey() >>> 40) + " n=" + (e.getKey() & ((1L << 40) - 1))
            + " stored " + e.getValue() + " times; seed " + seed);
      }
    }
    long missing = 0;
    for (Map.Entry<Integer, List<long[]>> e : acked.entrySet()) {
      for (long[] range : e.getValue()) {
        for (long n = range[0]; n <= range[1]; n++) {
          if (!seen.containsKey(((long) e.getKey() << 40) | n)) {
            missing++;
          }
        }
      }
    }
    assertEquals(0, missing, "acked events missing after SIGKILL; seed " + seed);

    // The index: reopening replays pending, so every stored event (acked or not) is searchable
    // exactly once, whether the kill came before or after index commits.
    try (Logd logd = Logd.builder().config(LogdConfig.defaults().withDataDir(dataDir)).open()) {
      logd.index().awaitSearchable();
      assertEquals(seen.size(), logd.searcher().count(Logd.DEFAULT_TENANT, "", TimeRange.ALL),
          "indexed events differ from stored events; seed " + seed);
      for (int p = 0; p < PRODUCERS; p++) {
        long stored = 0;
        for (long k : seen.keySet()) {
          if ((k >>> 40) == p) {
            stored++;
          }
        }
        assertEquals(stored, logd.searcher().count(Logd.DEFAULT_TENANT, "p:" + p, TimeRange.ALL),
            "producer " + p + " searchable count; seed " + seed);
      }
      List<long[]> ranges = acked.getOrDefault(0, List.of());
      if (!ranges.isEmpty()) {
        long[] last = ranges.get(ranges.size() - 1);
        assertEquals(last[1] - last[0] + 1, logd.searcher().count(Logd.DEFAULT_TENANT,
            "p:0 AND n:[" + last[0] + " TO " + last[1] + "]", TimeRange.ALL),
            "the last acked batch is searchable; seed " + seed);
      }
    }
    // The rollups: reopening counts pending above their checkpoint, so they equal a recount of the
    // stored events, whether the kill came before or after flushes.
    try (Logd logd = Logd.builder().config(LogdConfig.defaults().withDataDir(dataDir)).open()) {
      RollupOracle.check(logd, Logd.DEFAULT_TENANT, rnd, 5, "CrashIT seed " + seed);
    }
    System.out.println("CrashIT seed=" + seed + " acked=" + ackedEvents + " stored=" + seen.size());
  }

  /** Complete lines only: the kill may cut the last one short. */
  static Map<Integer, List<long[]>> parseAcks(byte[] out) {
    String text = new String(out, StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n');
    Map<Integer, List<long[]>> acked = new HashMap<>();
    if (end < 0) {
      return acked;
    }
    for (String line : text.substring(0, end).split("\n")) {
      if (line.startsWith("A ")) {
        String[] parts = line.split(" ");
        acked.computeIfAbsent(Integer.parseInt(parts[1]), k -> new ArrayList<>())
            .add(new long[] {Long.parseLong(parts[2]), Long.parseLong(parts[3])});
      }
    }
    return acked;
  }

  private static void pump(InputStream in, ByteArrayOutputStream sink) {
    byte[] buf = new byte[64 << 10];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (sink) {
          sink.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
  }

  private static byte[] snapshot(ByteArrayOutputStream sink) {
    synchronized (sink) {
      return sink.toByteArray();
    }
  }
}
