package io.logd.rollup;

/**
 * Row resolutions. Hour and day rows are kept beside minute rows so that a week is read as a few
 * day rows plus the partial hours and minutes at its edges, not as ten thousand minutes.
 */
enum Tier {
  MINUTE(1, 100),
  HOUR(60, 1000),
  DAY(1440, 1000);

  /** Length in minutes; every row starts at a multiple of it (UTC). */
  final int minutes;
  /** Entries a top-K summary of this tier keeps. */
  final int topCapacity;

  Tier(int minutes, int topCapacity) {
    this.minutes = minutes;
    this.topCapacity = topCapacity;
  }

  long startOf(long minute) {
    return Math.floorDiv(minute, minutes) * (long) minutes;
  }

  /** The largest tier whose rows fit inside a bucket of {@code stepMinutes} aligned to the epoch. */
  static Tier largestWithin(long stepMinutes) {
    if (stepMinutes % DAY.minutes == 0) {
      return DAY;
    }
    return stepMinutes % HOUR.minutes == 0 ? HOUR : MINUTE;
  }

  Tier finer() {
    return this == DAY ? HOUR : MINUTE;
  }
}
