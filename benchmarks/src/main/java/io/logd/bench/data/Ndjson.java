package io.logd.bench.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Times;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes events as logd's HTTP ingest reads them: one JSON object a line with {@code timestamp}
 * (RFC 3339, optional), {@code host}, {@code service}, {@code level}, {@code message}, every field
 * as a top-level key with its JSON type (lists as arrays), and {@code tags}. The facility is not
 * written: over HTTP it would become a plain field. Not thread-safe.
 */
public final class Ndjson {
  private static final JsonFactory JSON = new JsonFactory();

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
  private final JsonGenerator g;

  public Ndjson() {
    try {
      g = JSON.createGenerator((OutputStream) buffer);
      g.setRootValueSeparator(null);
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
  }

  /** Appends one line to the buffer; {@code withTimestamp} false lets the server stamp the receive time. */
  public Ndjson add(LogEvent e, boolean withTimestamp) {
    try {
      g.writeStartObject();
      if (withTimestamp) {
        g.writeStringField("timestamp", Times.format(e.timestampNanos()));
      }
      if (e.host() != null) {
        g.writeStringField("host", e.host());
      }
      if (e.service() != null) {
        g.writeStringField("service", e.service());
      }
      if (e.level() != null) {
        g.writeStringField("level", e.level().canonicalName());
      }
      g.writeStringField("message", e.message());
      for (Map.Entry<String, FieldValue> f : e.fields().entrySet()) {
        g.writeFieldName(f.getKey());
        write(f.getValue());
      }
      if (!e.tags().isEmpty()) {
        g.writeArrayFieldStart("tags");
        for (String t : e.tags()) {
          g.writeString(t);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.flush();
      buffer.write('\n');
      return this;
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
  }

  private void write(FieldValue v) throws IOException {
    switch (v) {
      case FieldValue.StringValue s -> g.writeString(s.value());
      case FieldValue.LongValue l -> g.writeNumber(l.value());
      case FieldValue.DoubleValue d -> g.writeNumber(d.value());
      case FieldValue.BoolValue b -> g.writeBoolean(b.value());
      case FieldValue.ListValue list -> {
        g.writeStartArray();
        for (FieldValue item : list.values()) {
          write(item);
        }
        g.writeEndArray();
      }
    }
  }

  /** Bytes written since the last {@link #reset()}. */
  public int size() {
    return buffer.size();
  }

  /** The lines written since the last {@link #reset()}. */
  public byte[] toByteArray() {
    return buffer.toByteArray();
  }

  /** Writes the buffered lines to {@code out} and empties the buffer. */
  public void drainTo(OutputStream out) throws IOException {
    buffer.writeTo(out);
    buffer.reset();
  }

  public void reset() {
    buffer.reset();
  }
}
