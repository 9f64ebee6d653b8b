package io.logd.bench.compare;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file of newline-terminated lines as chunks of up to {@code n} whole lines, as bytes
 * (newlines included), without decoding them: an NDJSON request body or a COPY block as the file
 * holds it. Not thread-safe.
 */
final class LineChunks implements Closeable {
  private final InputStream in;
  private final int lines;
  private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(1 << 20);
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;

  LineChunks(Path file, int lines) throws IOException {
    this.in = Files.newInputStream(file);
    this.lines = lines;
  }

  /** The next chunk and its line count, or null at the end of the file. */
  Chunk next() throws IOException {
    chunk.reset();
    int n = 0;
    while (n < lines) {
      if (pos == limit) {
        limit = in.read(buf);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          break;
        }
      }
      int from = pos;
      while (pos < limit && n < lines) {
        if (buf[pos++] == '\n') {
          n++;
        }
      }
      chunk.write(buf, from, pos - from);
    }
    return n == 0 ? null : new Chunk(chunk.toByteArray(), n);
  }

  record Chunk(byte[] bytes, int lines) {}

  @Override
  public void close() throws IOException {
    in.close();
  }
}
