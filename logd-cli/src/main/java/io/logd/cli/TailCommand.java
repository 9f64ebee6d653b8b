package io.logd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code logd tail [QUERY] [-f]}: the last events, oldest first; with {@code -f}, then every new
 * matching event as it arrives (Server-Sent Events), reconnecting with backoff when the connection
 * drops.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Show the last events; with -f, follow new ones as they arrive.", "",
        "Examples:",
        "  logd tail -n 50 service:nginx",
        "  logd tail -f 'level:[warn TO *]'"})
final class TailCommand implements Callable<Integer> {
  private static final long MAX_BACKOFF_MS = 30_000;

  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Mixin OutputOptions output;

  @Parameters(paramLabel = "QUERY", arity = "0..1", description = "Lucene query; empty for everything.")
  String query;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
      description = "Last events to show first. Default: 10")
  int lines;

  @Option(names = {"-f", "--follow"}, description = "Keep following new events until interrupted.")
  boolean follow;

  @Option(names = "--count", paramLabel = "N",
      description = "With -f: exit after N new events (for scripts: wait for the next error).")
  long count;

  @Override
  public Integer call() throws InterruptedException {
    if (lines < 0 || lines > 10_000) {
      throw new ParameterException(spec.commandLine(), "--lines: expected 0 to 10000, got " + lines);
    }
    if (count < 0 || (count > 0 && !follow)) {
      throw new ParameterException(spec.commandLine(), "--count: needs -f and a positive number");
    }
    ApiClient api = client.connect();
    PrintWriter out = spec.commandLine().getOut();
    EventPrinter printer = new EventPrinter(out, output);
    if (lines > 0) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("q", query);
      params.put("limit", Integer.toString(lines));
      JsonNode page = ApiClient.require(api.get("/api/v1/logs", params), query).json();
      List<JsonNode> events = new ArrayList<>();
      page.path("events").forEach(events::add);
      Collections.reverse(events);
      printer.print(events);
    } else if (!follow) {
      return Main.EXIT_OK;
    }
    if (follow) {
      follow(api, printer);
    }
    return Main.EXIT_OK;
  }

  /** Follows the SSE stream; a dropped connection is retried with backoff, other errors end it. */
  private void follow(ApiClient api, EventPrinter printer) throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("q", query);
    long seen = 0;
    long backoff = 500;
    while (true) {
      try (InputStream in = api.stream("/api/v1/logs/tail", params, query);
          BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        backoff = 500;
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith("data:")) {
            printer.print(ApiClient.JSON.readTree(line.substring(5).strip()));
            printer.flush();
            if (count > 0 && ++seen >= count) {
              return;
            }
          } else if (line.startsWith(": dropped")) {
            err.println("logd: the server" + line.substring(1));
            err.flush();
          }
        }
        err.println("logd: the server closed the stream; reconnecting (events in between are not shown)");
      } catch (IOException e) {
        err.println("logd: lost the stream (" + e.getMessage() + "); reconnecting in " + backoff + " ms");
      } catch (CliException e) {
        if (!e.getMessage().startsWith("cannot connect") && !e.getMessage().startsWith("request to logd")) {
          throw e;
        }
        err.println("logd: " + e.getMessage() + "; retrying in " + backoff + " ms");
      }
      err.flush();
      Thread.sleep(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }
}
