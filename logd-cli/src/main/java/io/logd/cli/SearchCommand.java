package io.logd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
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

/** {@code logd search QUERY}: matching events, newest first, paged through the cursor. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Search events with Lucene query syntax, newest first.", "",
        "Examples:",
        "  logd search 'level:error AND service:api' --since 1h",
        "  logd search '\"connection refused\"' --from 2026-11-23T10:00:00Z --limit 500 -o json"})
final class SearchCommand implements Callable<Integer> {
  /** Events asked for per request; larger limits page through the cursor. */
  static final int PAGE = 1000;

  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Mixin OutputOptions output;
  @Mixin TimeOptions time;

  @Parameters(paramLabel = "QUERY", arity = "0..1", description = "Lucene query; empty or * for everything.")
  String query;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100",
      description = "Most events to show. Default: 100")
  long limit;

  @Option(names = "--oldest-first", description = "Oldest first instead of newest first.")
  boolean oldestFirst;

  @Override
  public Integer call() {
    if (limit < 1 || limit > 100_000_000) {
      throw new ParameterException(spec.commandLine(), "--limit: expected 1 to 100000000, got " + limit);
    }
    ApiClient api = client.connect();
    EventPrinter printer = new EventPrinter(spec.commandLine().getOut(), output);
    String from = time.from(null);
    long shown = 0;
    String cursor = null;
    do {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("q", query);
      params.put("from", from);
      params.put("to", time.to());
      params.put("limit", Long.toString(Math.min(PAGE, limit - shown)));
      params.put("order", oldestFirst ? "asc" : "desc");
      params.put("cursor", cursor);
      JsonNode page = ApiClient.require(api.get("/api/v1/logs", params), query).json();
      List<JsonNode> events = new ArrayList<>();
      page.path("events").forEach(events::add);
      printer.print(events);
      shown += events.size();
      JsonNode next = page.get("next_cursor");
      cursor = next == null || next.isNull() || events.isEmpty() ? null : next.asText();
    } while (cursor != null && shown < limit);
    printer.flush();
    return Main.EXIT_OK;
  }
}
