package io.logd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logd keys create|list|revoke}: API keys (admin keys only). */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Create, list and revoke API keys (needs an admin key).",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {
  @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Create a key. Its secret is shown this once.", "",
          "Example:", "  logd keys create --tenant acme --role ingest --name nginx-fleet"})
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Option(names = "--role", paramLabel = "ROLE", required = true, description = "admin, ingest or read")
    String role;

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "What the key is for.")
    String name;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant of the key. Default: your key's")
    String tenant;

    @Override
    public Integer call() {
      ObjectNode req = ApiClient.JSON.createObjectNode().put("role", role).put("name", name);
      if (tenant != null) {
        req.put("tenant", tenant);
      }
      JsonNode k = ApiClient.require(client.connect().post("/api/v1/keys", "application/json",
          req.toString().getBytes(StandardCharsets.UTF_8)), null).json();
      PrintWriter out = spec.commandLine().getOut();
      switch (output.format()) {
        case JSON -> out.println(k);
        case RAW -> out.println(k.path("key").asText());
        case TABLE -> {
          keyTable(java.util.List.of(k), output).print(out);
          out.println();
          out.println("key: " + k.path("key").asText());
          out.println("Keep it now: it is not shown again.");
        }
      }
      out.flush();
      return Main.EXIT_OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
  static final class ListKeys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      JsonNode keys = ApiClient.require(client.connect().get("/api/v1/keys", Map.of()), null).json().path("keys");
      PrintWriter out = spec.commandLine().getOut();
      switch (output.format()) {
        case JSON -> keys.forEach(k -> out.println(k.toString()));
        case RAW -> keys.forEach(k -> out.println(k.path("id").asText()));
        case TABLE -> {
          java.util.List<JsonNode> all = new java.util.ArrayList<>();
          keys.forEach(all::add);
          keyTable(all, output).print(out);
        }
      }
      out.flush();
      return Main.EXIT_OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by its ID.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Parameters(paramLabel = "ID", description = "The key's ID, as keys list shows it.")
    String id;

    @Override
    public Integer call() {
      if (!id.matches("[0-9A-Za-z_-]{1,64}")) {
        throw CliException.usage("ID: not a key ID: '" + id + "'");
      }
      JsonNode k = ApiClient.require(client.connect().delete("/api/v1/keys/" + id), null).json();
      PrintWriter out = spec.commandLine().getOut();
      switch (output.format()) {
        case JSON -> out.println(k);
        case RAW -> out.println(k.path("id").asText());
        case TABLE -> out.println("revoked key " + k.path("id").asText() + " (" + k.path("name").asText() + ")");
      }
      out.flush();
      return Main.EXIT_OK;
    }
  }

  static Table keyTable(java.util.List<JsonNode> keys, OutputOptions output) {
    Table t = new Table("ID", "TENANT", "ROLE", "NAME", "CREATED", "REVOKED");
    for (JsonNode k : keys) {
      t.add(k.path("id").asText(), k.path("tenant").asText(), k.path("role").asText(), k.path("name").asText(),
          EventPrinter.seconds(k.path("created").asText(), output.zone()),
          k.path("revoked").isNull() || k.path("revoked").isMissingNode() ? "-"
              : EventPrinter.seconds(k.path("revoked").asText(), output.zone()));
    }
    return t;
  }
}
