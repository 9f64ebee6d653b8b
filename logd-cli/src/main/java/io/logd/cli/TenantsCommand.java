package io.logd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logd tenants create|list} (admin keys; creating needs an admin of tenant default). */
@Command(name = "tenants", mixinStandardHelpOptions = true, description = "Create and list tenants (needs an admin key).",
    subcommands = {TenantsCommand.Create.class, TenantsCommand.ListTenants.class})
final class TenantsCommand {
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Parameters(paramLabel = "NAME", description = "Tenant name: letters, digits, '-' and '_'.")
    String name;

    @Override
    public Integer call() {
      byte[] body = ApiClient.JSON.createObjectNode().put("name", name).toString().getBytes(StandardCharsets.UTF_8);
      JsonNode t = ApiClient.require(client.connect().post("/api/v1/tenants", "application/json", body), null).json();
      PrintWriter out = spec.commandLine().getOut();
      switch (output.format()) {
        case JSON -> out.println(t);
        case RAW -> out.println(t.path("name").asText());
        case TABLE -> out.println("created tenant " + t.path("name").asText());
      }
      out.flush();
      return Main.EXIT_OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants.")
  static final class ListTenants implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      JsonNode tenants = ApiClient.require(client.connect().get("/api/v1/tenants", Map.of()), null).json().path("tenants");
      PrintWriter out = spec.commandLine().getOut();
      switch (output.format()) {
        case JSON -> tenants.forEach(t -> out.println(t.toString()));
        case RAW -> tenants.forEach(t -> out.println(t.path("name").asText()));
        case TABLE -> {
          Table table = new Table("NAME", "CREATED");
          tenants.forEach(t -> table.add(t.path("name").asText(),
              EventPrinter.seconds(t.path("created").asText(), output.zone())));
          table.print(out);
        }
      }
      out.flush();
      return Main.EXIT_OK;
    }
  }
}
