package io.logd.parse.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.parse.ParseResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an Elasticsearch {@code _bulk} body: NDJSON pairs of an action line ({@code index} or
 * {@code create}, with an optional {@code _index}) and a document line. Every action becomes one
 * item, in order, either with its event or with the error Elasticsearch clients expect; other
 * actions ({@code update}, {@code delete}) are answered as errors, since logd never changes a
 * stored event. The target index name is kept in the event as the field {@code es_index}.
 */
public final class EsBulkReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One action of the bulk request. */
  public sealed interface Item permits Accepted, Failed {
    String action();

    String index();
  }

  /** An action whose document became an event. */
  public record Accepted(String action, String index, LogEvent event) implements Item {}

  /** An action that yields no event; {@code type} and {@code reason} go into the item's error. */
  public record Failed(String action, String index, int status, String type, String reason) implements Item {}

  private final JsonEventParser parser = new JsonEventParser();

  /** Reads every action; {@code defaultIndex} comes from a {@code /<index>/_bulk} path, or null. */
  public List<Item> read(byte[] body, String defaultIndex, Instant received) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        String line = new String(body, start, i - start, StandardCharsets.UTF_8).strip();
        if (!line.isEmpty()) {
          lines.add(line);
        }
        start = i + 1;
      }
    }
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      JsonNode action;
      try {
        action = JSON.readTree(lines.get(i));
      } catch (JsonProcessingException e) {
        items.add(new Failed("index", defaultIndex, 400, "parse_exception",
            "action line " + (i + 1) + ": " + JsonEventParser.describe(e)));
        continue; // without a readable action the next line cannot be told apart; try it as an action
      }
      if (action == null || !action.isObject() || action.size() != 1) {
        items.add(new Failed("index", defaultIndex, 400, "illegal_argument_exception",
            "line " + (i + 1) + ": expected an action such as {\"index\":{}}"));
        continue;
      }
      String name = action.fieldNames().next();
      JsonNode meta = action.get(name);
      String index = meta.path("_index").asText(defaultIndex);
      switch (name) {
        case "index", "create" -> {
          if (i + 1 >= lines.size()) {
            items.add(new Failed(name, index, 400, "illegal_argument_exception",
                "line " + (i + 1) + ": the action has no document line after it"));
            continue;
          }
          String doc = lines.get(++i);
          switch (parser.parse(doc, received)) {
            case ParseResult.Parsed p -> items.add(new Accepted(name, index, withIndex(p.event(), index)));
            case ParseResult.Rejected r -> items.add(new Failed(name, index, 400, "document_parsing_exception",
                "line " + (i + 1) + ": " + r.reason()));
          }
        }
        case "update" -> {
          i++; // its partial document
          items.add(new Failed(name, index, 400, "action_request_validation_exception",
              "logd stores events once and never updates them"));
        }
        case "delete" -> items.add(new Failed(name, index, 400, "action_request_validation_exception",
            "logd deletes by time (DELETE /api/v1/logs?before=), not by document"));
        default -> items.add(new Failed(name, index, 400, "illegal_argument_exception",
            "unknown bulk action '" + name + "'"));
      }
    }
    return items;
  }

  private static LogEvent withIndex(LogEvent e, String index) {
    if (index == null || index.isEmpty()) {
      return e;
    }
    Map<String, FieldValue> fields = new LinkedHashMap<>(e.fields());
    fields.putIfAbsent("es_index", FieldValue.of(index));
    return new LogEvent(e.timestampNanos(), e.receivedNanos(), e.host(), e.service(), e.level(), e.facility(),
        e.message(), fields, e.tags());
  }
}
