package io.logd.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.StoredEvent;
import io.logd.event.Times;
import java.util.Map;

/** Events in the contract's JSON shape (API.md, "Event JSON as returned"). */
final class EventJson {
  private EventJson() {}

  static ObjectNode of(StoredEvent stored, String tenantName) {
    LogEvent e = stored.event();
    ObjectNode n = HttpResponses.JSON.createObjectNode();
    n.put("id", stored.id().hex());
    n.put("timestamp", Times.format(e.timestampNanos()));
    n.put("received", Times.format(e.receivedNanos()));
    n.put("tenant", tenantName);
    putIfSet(n, "host", e.host());
    putIfSet(n, "service", e.service());
    putIfSet(n, "level", e.level() == null ? null : e.level().canonicalName());
    putIfSet(n, "facility", e.facility() == null ? null : e.facility().keyword());
    n.put("message", e.message());
    ObjectNode fields = n.putObject("fields");
    for (Map.Entry<String, FieldValue> f : e.fields().entrySet()) {
      put(fields, f.getKey(), f.getValue());
    }
    ArrayNode tags = n.putArray("tags");
    e.tags().forEach(tags::add);
    return n;
  }

  private static void putIfSet(ObjectNode n, String name, String value) {
    if (value != null) {
      n.put(name, value);
    }
  }

  private static void put(ObjectNode n, String name, FieldValue v) {
    switch (v) {
      case FieldValue.StringValue s -> n.put(name, s.value());
      case FieldValue.LongValue l -> n.put(name, l.value());
      case FieldValue.DoubleValue d -> n.put(name, d.value());
      case FieldValue.BoolValue b -> n.put(name, b.value());
      case FieldValue.ListValue list -> {
        ArrayNode a = n.putArray(name);
        for (FieldValue item : list.values()) {
          switch (item) {
            case FieldValue.StringValue s -> a.add(s.value());
            case FieldValue.LongValue l -> a.add(l.value());
            case FieldValue.DoubleValue d -> a.add(d.value());
            case FieldValue.BoolValue b -> a.add(b.value());
            case FieldValue.ListValue nested -> a.add(nested.asText());
          }
        }
      }
    }
  }
}
