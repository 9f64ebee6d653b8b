package io.logd.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line on stderr, drawn only on a terminal (never into a pipe or a file), and notes that
 * must not garble it.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean draw;
  private String name;
  private long size;
  private LongSupplier done;
  private long startNanos = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  /** @param draw whether to draw at all: stderr is a terminal and the user did not say otherwise */
  Progress(PrintWriter err, boolean draw) {
    this.err = err;
    this.draw = draw;
  }

  /**
   * Starts a unit of work.
   *
   * @param size its total in the unit {@code done} counts (bytes, say), or 0 when unknown
   * @param done how much of it is done, or null
   */
  void start(String name, long size, LongSupplier done) {
    this.name = name;
    this.size = size;
    this.done = done;
    this.startNanos = System.nanoTime();
  }

  /** Redraws, at most five times a second, with {@code count} items so far. */
  void update(long count, String unit) {
    if (!draw) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    double secs = Math.max(1e-3, (now - startNanos) / 1e9);
    StringBuilder line = new StringBuilder("\r").append(name).append(' ');
    if (size > 0 && done != null) {
      double f = Math.min(1, done.getAsLong() / (double) size);
      int filled = (int) (f * 30);
      line.append('[').append("#".repeat(filled)).append(" ".repeat(30 - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3.0f%% ", f * 100));
    }
    line.append(String.format(Locale.ROOT, "%,d %s, %,.0f/s ", count, unit, count / secs));
    err.print(line);
    err.flush();
    drawn = true;
  }

  void update(long events) {
    update(events, "events");
  }

  void note(String text) {
    clear();
    err.println("logd: " + text);
    err.flush();
  }

  void done() {
    clear();
  }

  private void clear() {
    if (drawn) {
      err.print("\r\033[K");
      err.flush();
      drawn = false;
    }
  }
}
