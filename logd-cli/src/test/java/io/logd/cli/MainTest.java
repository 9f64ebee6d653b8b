package io.logd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class MainTest {
  /** What one run of {@code logd} printed and returned. */
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void helpListsCommandsAndExitsZero() {
    Run r = run("--help");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("Usage: logd"), r.out());
    assertTrue(r.out().contains("serve"), r.out());
    assertTrue(r.out().contains("--version"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void serveHelpShowsItsFlags() {
    Run r = run("serve", "--help");
    assertEquals(0, r.exit(), r.err());
    for (String flag : new String[] {"--config", "--data", "--http-port", "--bind", "--debug"}) {
      assertTrue(r.out().contains(flag), flag + " missing from:\n" + r.out());
    }
  }

  @Test
  void ingestHelpShowsItsFlags() {
    Run r = run("ingest", "--help");
    assertEquals(0, r.exit(), r.err());
    for (String flag : new String[] {"--format", "--service", "--host", "--timezone", "--batch", "--force",
        "--url", "--api-key"}) {
      assertTrue(r.out().contains(flag), flag + " missing from:\n" + r.out());
    }
    assertTrue(r.out().lines().allMatch(l -> l.length() <= 80), r.out());
  }

  @Test
  void helpCommandWorksToo() {
    Run r = run("help", "serve");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("Usage: logd serve"), r.out());
  }

  @Test
  void versionComesFromTheBuild() {
    Run r = run("--version");
    assertEquals(0, r.exit(), r.err());
    String first = r.out().lines().findFirst().orElseThrow();
    assertTrue(first.matches("logd \\d+\\.\\d+\\.\\d+\\S*"), first);
    assertEquals(first, "logd " + Main.version());
  }

  @Test
  void unknownOptionIsAUsageError() {
    Run r = run("--bogus");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("Unknown option: '--bogus'"), r.err());
    assertTrue(r.err().contains("Usage: logd"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void unknownCommandIsAUsageError() {
    Run r = run("frobnicate");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("'frobnicate'"), r.err());
  }

  @Test
  void noCommandIsAUsageError() {
    Run r = run();
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("Missing command"), r.err());
    assertTrue(r.err().contains("Usage: logd"), r.err());
  }

  @Test
  void badFlagValueIsAUsageError() {
    Run r = run("serve", "--http-port", "eighty");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--http-port"), r.err());
    assertTrue(r.err().contains("Usage: logd serve"), r.err());
  }

  @Test
  void configErrorNamesTheKeyWithoutAStackTrace(@TempDir Path dir) {
    Run r = run("serve", "--data", dir.toString(), "--http-port", "70000");
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().startsWith("logd: config error: "), r.err());
    assertTrue(r.err().contains("http.port"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void missingConfigFileIsAnError(@TempDir Path dir) {
    Run r = run("serve", "--config", dir.resolve("nope.yaml").toString());
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().startsWith("logd: config error: "), r.err());
    assertTrue(r.err().contains("nope.yaml"), r.err());
  }

  @Test
  void debugPrintsTheStackTrace(@TempDir Path dir) {
    Run r = run("serve", "--debug", "--http-port", "70000", "--data", dir.toString());
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().startsWith("logd: config error: "), r.err());
    assertTrue(r.err().contains("\tat "), r.err());
  }

  @Test
  void hostPortBracketsIpv6() {
    assertEquals("0.0.0.0:8080", ServeCommand.hostPort("0.0.0.0", 8080));
    assertEquals("[::]:80", ServeCommand.hostPort("::", 80));
    assertEquals("[::1]:80", ServeCommand.hostPort("[::1]", 80));
    assertEquals("localhost:9", ServeCommand.hostPort("localhost", 9));
  }

  @Command(name = "probe")
  static final class Probe implements Runnable {
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Override
    public void run() {}
  }

  @Test
  void clientAndOutputOptionsParse() {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs("--url", "http://logs.example:9000", "--api-key", "k1", "-o", "JSON", "--utc");
    assertEquals("http://logs.example:9000", probe.client.url);
    assertEquals("k1", probe.client.apiKey);
    assertEquals(OutputOptions.Format.JSON, probe.output.format);
    assertTrue(probe.output.utc);

    Run bad = run("search", "-o", "yaml");
    assertEquals(2, bad.exit(), bad.err());
    assertTrue(bad.err().contains("yaml"), bad.err());
  }

  @Test
  void everyCommandHasHelpThatFitsEightyColumns() {
    for (String[] c : new String[][] {{"search"}, {"tail"}, {"stats"}, {"top"}, {"export"}, {"keys", "create"},
        {"keys", "list"}, {"keys", "revoke"}, {"tenants", "create"}, {"tenants", "list"}, {"admin", "verify"},
        {"admin", "backup"}, {"admin", "retention"}, {"admin", "reindex"}, {"admin", "rebuild-rollups"},
        {"completion"}}) {
      String[] args = java.util.Arrays.copyOf(c, c.length + 1);
      args[c.length] = "--help";
      Run r = run(args);
      assertEquals(0, r.exit(), String.join(" ", c) + ": " + r.err());
      assertTrue(r.out().contains("Usage: logd " + String.join(" ", c)), r.out());
      for (String line : r.out().lines().toList()) {
        assertTrue(line.length() <= 80, String.join(" ", c) + " --help has a line over 80 columns:\n" + line);
      }
    }
  }
}
