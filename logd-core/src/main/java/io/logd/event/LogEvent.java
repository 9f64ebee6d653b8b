package io.logd.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One log event as logd stores it.
 *
 * <p>Times are nanoseconds since the Unix epoch (UTC) and are never negative. {@code host},
 * {@code service}, {@code level} and {@code facility} may be null when the sender gave none;
 * {@code message} is never null (it may be empty). The maps and lists are read-only views; callers
 * hand over ownership of the collections they pass in and must not mutate them afterwards.
 */
public record LogEvent(
    long timestampNanos,
    long receivedNanos,
    String host,
    String service,
    Severity level,
    Facility facility,
    String message,
    Map<String, FieldValue> fields,
    List<String> tags) {

  public LogEvent {
    if (timestampNanos < 0) {
      throw new IllegalArgumentException("timestamp before 1970 is not supported: " + timestampNanos);
    }
    if (receivedNanos < 0) {
      throw new IllegalArgumentException("received time before 1970 is not supported: " + receivedNanos);
    }
    message = message == null ? "" : message;
    fields = fields == null || fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(fields);
    tags = tags == null || tags.isEmpty() ? List.of() : Collections.unmodifiableList(tags);
  }

  public Instant timestamp() {
    return Instant.ofEpochSecond(0, timestampNanos);
  }

  public Instant received() {
    return Instant.ofEpochSecond(0, receivedNanos);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder; one builder makes one event. Unset times default to "now" at {@link #build()}. */
  public static final class Builder {
    private long timestampNanos = -1;
    private long receivedNanos = -1;
    private String host;
    private String service;
    private Severity level;
    private Facility facility;
    private String message = "";
    private Map<String, FieldValue> fields;
    private List<String> tags;

    private Builder() {}

    public Builder timestamp(Instant t) {
      return timestampNanos(toNanos(t));
    }

    public Builder timestampNanos(long nanos) {
      this.timestampNanos = nanos;
      return this;
    }

    public Builder received(Instant t) {
      return receivedNanos(toNanos(t));
    }

    public Builder receivedNanos(long nanos) {
      this.receivedNanos = nanos;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder service(String service) {
      this.service = service;
      return this;
    }

    public Builder level(Severity level) {
      this.level = level;
      return this;
    }

    public Builder facility(Facility facility) {
      this.facility = facility;
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public Builder field(String name, FieldValue value) {
      if (fields == null) {
        fields = new LinkedHashMap<>();
      }
      fields.put(name, value);
      return this;
    }

    public Builder field(String name, String value) {
      return field(name, FieldValue.of(value));
    }

    public Builder field(String name, long value) {
      return field(name, FieldValue.of(value));
    }

    public Builder field(String name, double value) {
      return field(name, FieldValue.of(value));
    }

    public Builder field(String name, boolean value) {
      return field(name, FieldValue.of(value));
    }

    public Builder tag(String tag) {
      if (tags == null) {
        tags = new ArrayList<>(2);
      }
      tags.add(tag);
      return this;
    }

    /** The service set so far, or null. */
    public String service() {
      return service;
    }

    /** True once a host has been set. */
    public boolean hasHost() {
      return host != null;
    }

    /** The message set so far (empty when none). */
    public String message() {
      return message;
    }

    /** True once a timestamp has been set. */
    public boolean hasTimestamp() {
      return timestampNanos >= 0;
    }

    /** The field set so far under {@code name}, or null. */
    public FieldValue field(String name) {
      return fields == null ? null : fields.get(name);
    }

    public LogEvent build() {
      long now = -1;
      if (timestampNanos < 0 || receivedNanos < 0) {
        now = toNanos(Instant.now());
      }
      long received = receivedNanos < 0 ? now : receivedNanos;
      long ts = timestampNanos < 0 ? received : timestampNanos;
      return new LogEvent(ts, received, host, service, level, facility, message, fields, tags);
    }
  }

  /** Nanoseconds since the epoch for an instant; throws for instants outside 1970..2262. */
  public static long toNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
