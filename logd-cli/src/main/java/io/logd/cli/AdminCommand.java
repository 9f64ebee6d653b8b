package io.logd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logd admin …}: appliance operations, for admin keys of tenant {@code default}. */
@Command(name = "admin", mixinStandardHelpOptions = true,
    description = "Operate the appliance (needs an admin key of tenant default).",
    subcommands = {AdminCommand.Retention.class, AdminCommand.Reindex.class, AdminCommand.RebuildRollups.class,
        AdminCommand.Verify.class, AdminCommand.Backup.class})
final class AdminCommand {
  /** Shared by the subcommands: post, then print the answer as JSON or as {@code summary} says. */
  abstract static class Operation implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    abstract String path();

    String body() {
      return null;
    }

    abstract void summary(PrintWriter out, JsonNode answer);

    int exitCode(JsonNode answer) {
      return Main.EXIT_OK;
    }

    @Override
    public Integer call() {
      String body = body();
      JsonNode answer = ApiClient.require(path().equals(VERIFY)
          ? client.connect().get(path(), java.util.Map.of())
          : client.connect().post(path(), "application/json",
              body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)), null).json();
      PrintWriter out = spec.commandLine().getOut();
      if (output.format() == OutputOptions.Format.TABLE) {
        summary(out, answer);
      } else {
        out.println(answer);
      }
      out.flush();
      return exitCode(answer);
    }
  }

  static final String VERIFY = "/api/v1/admin/verify";

  @Command(name = "retention", mixinStandardHelpOptions = true,
      description = "Apply retention now (storage.retention.max_age and max_disk).")
  static final class Retention extends Operation {
    @Override
    String path() {
      return "/api/v1/admin/retention";
    }

    @Override
    void summary(PrintWriter out, JsonNode a) {
      JsonNode days = a.path("dropped_days");
      out.println(days.isEmpty() ? "nothing to drop" : "dropped " + days.size() + " days: " + join(days));
      out.println("data directory: " + StatsCommand.bytes(a.path("bytes_before").asLong()) + " → "
          + StatsCommand.bytes(a.path("bytes_after").asLong())
          + (a.path("over_budget").asBoolean() ? " (still over the disk budget)" : ""));
    }
  }

  @Command(name = "reindex", mixinStandardHelpOptions = true,
      description = "Rebuild every day index from the stored events (searches see partial results meanwhile).")
  static final class Reindex extends Operation {
    @Override
    String path() {
      return "/api/v1/admin/reindex";
    }

    @Override
    void summary(PrintWriter out, JsonNode a) {
      out.printf(Locale.ROOT, "reindexed %,d events in %.1f s%n", a.path("events").asLong(), a.path("took_ms").asLong() / 1000.0);
    }
  }

  @Command(name = "rebuild-rollups", mixinStandardHelpOptions = true,
      description = "Recount every rollup (metrics, stats, top) from the stored events.")
  static final class RebuildRollups extends Operation {
    @Override
    String path() {
      return "/api/v1/admin/rollups/rebuild";
    }

    @Override
    void summary(PrintWriter out, JsonNode a) {
      out.printf(Locale.ROOT, "recounted %,d events into the rollups in %.1f s%n", a.path("events").asLong(),
          a.path("took_ms").asLong() / 1000.0);
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Check the store, the indexes and the rollups against each other.",
          "Exits 1 when it finds an inconsistency."})
  static final class Verify extends Operation {
    @Override
    String path() {
      return VERIFY;
    }

    @Override
    void summary(PrintWriter out, JsonNode a) {
      Table t = new Table("TENANT", "EVENTS", "INDEXED", "ROLLED UP", "UNDECODABLE").rightAligned(1, 2, 3, 4);
      for (JsonNode x : a.path("tenants")) {
        t.add(x.path("tenant").asText(), String.format(Locale.ROOT, "%,d", x.path("events").asLong()),
            String.format(Locale.ROOT, "%,d", x.path("indexed").asLong()),
            x.path("rolled_up").isNull() || x.path("rolled_up").isMissingNode() ? "-"
                : String.format(Locale.ROOT, "%,d", x.path("rolled_up").asLong()),
            String.format(Locale.ROOT, "%,d", x.path("undecodable").asLong()));
      }
      t.print(out);
      for (JsonNode p : a.path("problems")) {
        out.println("problem: " + p.asText());
      }
      out.println(a.path("ok").asBoolean() ? "ok" : "INCONSISTENT");
    }

    @Override
    int exitCode(JsonNode a) {
      return a.path("ok").asBoolean() ? Main.EXIT_OK : Main.EXIT_ERROR;
    }
  }

  @Command(name = "backup", mixinStandardHelpOptions = true,
      description = {"Make a consistent online copy of the data directory into DIR, on the server's host.",
          "Restore: stop logd and start it with --data DIR (or copy DIR into place)."})
  static final class Backup extends Operation {
    @Parameters(paramLabel = "DIR", description = "Absolute path on the server's host; must not exist or be empty.")
    String dir;

    @Override
    String path() {
      return "/api/v1/admin/backup";
    }

    @Override
    String body() {
      if (!Path.of(dir).isAbsolute()) {
        throw CliException.usage("DIR: must be an absolute path on the server's host, got '" + dir + "'");
      }
      return ApiClient.JSON.createObjectNode().put("dir", dir).toString();
    }

    @Override
    void summary(PrintWriter out, JsonNode a) {
      out.printf(Locale.ROOT, "backed up %s into %s in %.1f s%n", StatsCommand.bytes(a.path("bytes").asLong()),
          a.path("dir").asText(), a.path("took_ms").asLong() / 1000.0);
    }
  }

  private static String join(JsonNode array) {
    StringBuilder sb = new StringBuilder();
    array.forEach(d -> sb.append(sb.isEmpty() ? "" : ", ").append(d.asText()));
    return sb.toString();
  }
}
