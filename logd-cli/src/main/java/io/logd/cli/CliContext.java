package io.logd.cli;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

/**
 * What a run of {@code logd} sees of its surroundings: the environment, the CLI config file, whether
 * standard output is a terminal, and the local time zone. {@link Main} builds it from the system;
 * tests pass their own.
 *
 * @param configFile {@code ~/.config/logd/cli.yaml} (or under {@code XDG_CONFIG_HOME}); it may not
 *     exist
 */
record CliContext(Map<String, String> env, Path configFile, boolean terminal, ZoneId zone) {
  static CliContext system() {
    Map<String, String> env = System.getenv();
    return new CliContext(env, defaultConfigFile(env, Path.of(System.getProperty("user.home", "."))),
        Terminal.isTerminal(), ZoneId.systemDefault());
  }

  static Path defaultConfigFile(Map<String, String> env, Path home) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
    return base.resolve("logd").resolve("cli.yaml");
  }

  /** An environment variable, or null when unset or blank. */
  String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** Colours on a terminal, unless {@code NO_COLOR} is set (https://no-color.org). */
  boolean colour() {
    return terminal && !env.containsKey("NO_COLOR");
  }
}
