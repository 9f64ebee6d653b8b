package io.logd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code logd serve} as operators run it: a separate JVM, killed with SIGTERM. Covers the ready
 * line, {@code /health}, the data directory lock against a second process, and a clean exit 0.
 */
class ServeIT {
  private static final Pattern READY =
      Pattern.compile("^logd (\\S+) ready: data=(\\S+) http=(\\S+):(\\d+) syslog-udp=\\S+:(\\d+) syslog-tcp=\\S+:(\\d+)$");
  private static final Pattern ADMIN_KEY =
      Pattern.compile("^logd: created the admin key of tenant default; it is shown only this once: (logd_\\S+)$");

  private final List<Child> children = new ArrayList<>();

  @TempDir Path dataDir;

  /** A child JVM running {@code logd} and what it has printed so far. */
  static final class Child {
    final Process process;
    final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    final StringBuffer stdout = new StringBuffer();
    final CompletableFuture<String> stderr;
    final Thread stdoutReader;

    Child(Process process) {
      this.process = process;
      stdoutReader = Thread.ofPlatform().daemon().name("child-stdout").start(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            stdout.append(line).append('\n');
            stdoutLines.add(line);
          }
        } catch (IOException ignored) {
          // the child is gone
        }
      });
      stderr = new CompletableFuture<>();
      // One thread per stream: a shared pool could be busy draining another child that is still alive.
      Thread.ofPlatform().daemon().name("child-stderr").start(
          () -> stderr.complete(readAll(process.getErrorStream())));
    }

    /** Waits for a stdout line matching {@code pattern}, failing if the child exits first. */
    Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String line = stdoutLines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          Matcher m = pattern.matcher(line);
          if (m.matches()) {
            return m;
          }
        } else if (!process.isAlive() && stdoutLines.isEmpty()) {
          fail("logd exited with " + process.exitValue() + " before printing " + pattern
              + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr.join());
        }
      }
      fail("no line matching " + pattern + " within " + timeout + "\nstdout:\n" + stdout);
      return null;
    }

    int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail("logd did not exit within " + timeout + "\nstdout:\n" + stdout);
      }
      stdoutReader.join(10_000); // everything it printed is in stdout now
      return process.exitValue();
    }

    private static String readAll(InputStream in) {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "<" + e + ">";
      }
    }
  }

  /** Starts {@code logd ARGS} in a child JVM with this JVM's java and classpath. */
  private Child logd(String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java,
        "-Xmx256m",
        "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"),
        "io.logd.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("LOGD_")); // the test's own settings only
    env.put("LOGD_STORAGE_ROCKSDB_BLOCK_CACHE", "8MiB");
    env.put("LOGD_STORAGE_MIN_FREE_DISK", "0");
    env.put("LOGD_SYSLOG_UDP_PORT", "0");
    env.put("LOGD_SYSLOG_TCP_PORT", "0");
    Child child = new Child(pb.start());
    children.add(child);
    return child;
  }

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Child c : children) {
      if (c.process.isAlive()) {
        c.process.destroyForcibly();
        c.process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void servesHealthRefusesASecondProcessAndStopsCleanlyOnSigterm() throws Exception {
    Child first = logd("serve", "--data", dataDir.toString(), "--http-port", "0", "--bind", "127.0.0.1");
    Matcher ready = first.awaitLine(READY, Duration.ofSeconds(60));
    assertEquals(Main.version(), ready.group(1));
    assertEquals(dataDir.toAbsolutePath().normalize().toString(), ready.group(2));
    assertEquals("127.0.0.1", ready.group(3));
    int port = Integer.parseInt(ready.group(4));
    assertTrue(port > 0 && port != 8080, "port 0 should pick a free port, got " + port);
    first.awaitLine(ADMIN_KEY, Duration.ofSeconds(10)); // a fresh data directory gets an admin key

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> health = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode(), health.body());
    assertTrue(health.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
    assertTrue(health.body().contains("\"store\":\"ok\""), health.body());
    assertTrue(health.body().matches(".*\"disk_free_bytes\":\\d+.*"), health.body());

    // The same data directory from a second process: refused, exit 1, one clear line.
    Child second = logd("serve", "--data", dataDir.toString(), "--http-port", "0", "--bind", "127.0.0.1");
    int secondExit = second.awaitExit(Duration.ofSeconds(60));
    String secondErr = second.stderr.get(10, TimeUnit.SECONDS);
    assertEquals(1, secondExit, "stdout:\n" + second.stdout + "\nstderr:\n" + secondErr);
    assertTrue(secondErr.contains("already in use"), secondErr);
    assertTrue(secondErr.startsWith("logd: "), secondErr);
    assertFalse(secondErr.contains("\tat "), secondErr);
    assertFalse(second.stdout.toString().contains("ready"), second.stdout.toString());

    // The first one is unaffected, and stops cleanly on SIGTERM.
    assertTrue(first.process.isAlive());
    // SIGTERM. Process.destroy() would send the same signal but also close our ends of the child's
    // stdout and stderr, losing what it prints while stopping; ProcessHandle.destroy() only signals.
    assertTrue(first.process.toHandle().destroy());
    int firstExit = first.awaitExit(Duration.ofSeconds(60));
    String firstErr = first.stderr.get(10, TimeUnit.SECONDS);
    assertEquals(0, firstExit, "stdout:\n" + first.stdout + "\nstderr:\n" + firstErr);
    assertTrue(first.stdout.toString().lines().anyMatch("logd stopped"::equals),
        "stdout:\n" + first.stdout + "\nstderr:\n" + firstErr);

    // The lock is released: the directory opens again.
    Child third = logd("serve", "--data", dataDir.toString(), "--http-port", "0", "--bind", "127.0.0.1");
    third.awaitLine(READY, Duration.ofSeconds(60));
    assertTrue(third.process.toHandle().destroy());
    assertEquals(0, third.awaitExit(Duration.ofSeconds(60)));
    assertFalse(third.stdout.toString().contains("admin key"), "the admin key is shown only on the first start");
  }
}
