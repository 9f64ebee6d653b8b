package io.logd.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drops the oldest whole UTC days, by age and by disk budget, across every tenant. A day is dropped
 * with range deletes on {@code events} and {@code rollups} followed by a compaction of the span, so
 * disk space really returns; listeners (the day indexes) drop their own copy of the day.
 *
 * <p>The newest day that holds data is never dropped for the disk budget: a budget too small for
 * one day is reported rather than emptying the store.
 */
public final class Retention {
  private static final System.Logger LOG = System.getLogger(Retention.class.getName());
  private static final long DAY_NANOS = 86_400_000_000_000L;

  /** Told about each day after it is dropped from the store. */
  @FunctionalInterface
  public interface DayListener {
    void onDayDropped(LocalDate day) throws IOException;
  }

  /**
   * What one run did.
   *
   * @param droppedDays the UTC days dropped, oldest first
   * @param bytesBefore data directory size before the run
   * @param bytesAfter data directory size after the run
   * @param overBudget true when the budget is still exceeded (only the newest day is left)
   */
  public record Report(List<LocalDate> droppedDays, long bytesBefore, long bytesAfter, boolean overBudget) {}

  private final EventStore store;
  private final Path dataDir;
  private final List<DayListener> listeners;

  public Retention(EventStore store, Path dataDir, List<DayListener> listeners) {
    this.store = store;
    this.dataDir = dataDir;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Applies retention once.
   *
   * @param nowNanos the current time
   * @param maxAgeNanos drop days wholly older than this; 0 keeps every day
   * @param maxDiskBytes drop oldest days while the data directory is larger; {@code Long.MAX_VALUE}
   *     for no budget
   */
  public synchronized Report apply(long nowNanos, long maxAgeNanos, long maxDiskBytes) throws IOException {
    long before = directorySize(dataDir);
    List<LocalDate> dropped = new ArrayList<>();
    if (maxAgeNanos > 0) {
      LocalDate keepFrom = dayOf(Math.max(0, nowNanos - maxAgeNanos));
      Optional<LocalDate> oldest;
      while ((oldest = oldestDay()).isPresent() && oldest.get().isBefore(keepFrom)) {
        dropDay(oldest.get());
        dropped.add(oldest.get());
      }
    }
    long size = dropped.isEmpty() ? before : directorySize(dataDir);
    boolean overBudget = false;
    while (size > maxDiskBytes) {
      Optional<LocalDate> oldest = oldestDay();
      Optional<LocalDate> newest = newestDay();
      if (oldest.isEmpty() || oldest.equals(newest)) {
        overBudget = true;
        LOG.log(System.Logger.Level.WARNING,
            "data directory is {0} bytes, over the {1}-byte budget, with only one day left",
            size, maxDiskBytes);
        break;
      }
      dropDay(oldest.get());
      dropped.add(oldest.get());
      size = directorySize(dataDir);
    }
    if (!dropped.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "retention dropped days {0}", dropped);
    }
    return new Report(List.copyOf(dropped), before, size, overBudget);
  }

  /** Drops one UTC day of every tenant. */
  public synchronized void dropDay(LocalDate day) throws IOException {
    long from = day.toEpochDay() * DAY_NANOS;
    long to = from + DAY_NANOS;
    for (int tenant : store.tenants()) {
      store.deleteRange(tenant, from, to);
    }
    for (DayListener l : listeners) {
      l.onDayDropped(day);
    }
  }

  /** The oldest UTC day that holds an event of any tenant. */
  public Optional<LocalDate> oldestDay() throws IOException {
    long min = Long.MAX_VALUE;
    for (int tenant : store.tenants()) {
      Optional<Long> t = store.oldestEventTime(tenant);
      if (t.isPresent()) {
        min = Math.min(min, t.get());
      }
    }
    return min == Long.MAX_VALUE ? Optional.empty() : Optional.of(dayOf(min));
  }

  /** The newest UTC day that holds an event of any tenant. */
  public Optional<LocalDate> newestDay() throws IOException {
    long max = -1;
    for (int tenant : store.tenants()) {
      Optional<Long> t = store.newestEventTime(tenant);
      if (t.isPresent()) {
        max = Math.max(max, t.get());
      }
    }
    return max < 0 ? Optional.empty() : Optional.of(dayOf(max));
  }

  static LocalDate dayOf(long nanos) {
    return LocalDate.ofEpochDay(Math.floorDiv(nanos, DAY_NANOS));
  }

  /** Start of a UTC day in epoch nanoseconds. */
  public static long dayStartNanos(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000_000L;
  }

  /** Total size of the regular files under {@code dir}; files that vanish meanwhile are skipped. */
  public static long directorySize(Path dir) throws IOException {
    long[] total = {0};
    if (!Files.exists(dir)) {
      return 0;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              total[0] += attrs.size();
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // compaction deletes files under our feet
          }
        });
    return total[0];
  }
}
