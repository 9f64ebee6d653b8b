package io.logd.engine;

import io.logd.event.EventId;
import io.logd.index.IndexSet;
import io.logd.query.QuerySyntaxException;
import io.logd.query.Searcher;
import io.logd.query.TimeRange;
import io.logd.rollup.RollupSet;
import io.logd.rollup.Section;
import io.logd.store.CorruptEventException;
import io.logd.store.EventStore;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.function.IntFunction;

/**
 * Checks the store, the day indexes and the rollups against each other, tenant by tenant, while
 * ingest goes on.
 *
 * <p>The counts cannot be taken at one instant, so each is bracketed instead: {@code bound} is the
 * last seq before the derived state is awaited, and the index and rollup counts are read before the
 * store is scanned. Then everything stored at or below {@code bound} must be counted, and nothing
 * the later scan did not see may be: {@code stored(seq <= bound) <= counted <= stored(all)}. A
 * tenant outside that is checked once more before its problems are reported: after awaiting again
 * (a group may have been committed but not yet handed over) and with deletes held off (a day may
 * have been dropped from the store but not yet from the index).
 */
final class Verifier {
  private static final long DAY_NANOS = 86_400_000_000_000L;
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final EventStore store;
  private final IndexSet index;
  private final Searcher searcher;
  /** Null when rollups are off. */
  private final RollupSet rollups;
  private final IntFunction<String> names;
  /** Held by retention and deletes; the recheck holds it so none is half done. */
  private final Lock deletes;

  Verifier(EventStore store, IndexSet index, Searcher searcher, RollupSet rollups, IntFunction<String> names,
      Lock deletes) {
    this.store = store;
    this.index = index;
    this.searcher = searcher;
    this.rollups = rollups;
    this.names = names;
    this.deletes = deletes;
  }

  /** Checks {@code tenants} plus every tenant that has stored events. */
  Verification run(Collection<Integer> tenants) throws IOException {
    SortedSet<Integer> all = new TreeSet<>(tenants);
    all.addAll(store.tenants());
    List<Verification.TenantCheck> checks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long bound = awaitDerived();
    for (int tenant : all) {
      Result r = check(tenant, bound);
      if (!r.problems().isEmpty()) {
        deletes.lock();
        try {
          bound = awaitDerived();
          r = check(tenant, bound);
        } finally {
          deletes.unlock();
        }
      }
      checks.add(r.check());
      problems.addAll(r.problems());
    }
    return new Verification(checks, problems);
  }

  /** Waits until the index and the rollups have what was handed over; answers the seq before. */
  private long awaitDerived() throws IOException {
    long bound = store.lastSeq();
    index.awaitSearchable();
    if (rollups != null) {
      rollups.awaitCounted();
    }
    return bound;
  }

  private record Result(Verification.TenantCheck check, List<String> problems) {}

  /** One day's stored events: all of them, and those at or below the bound. */
  private static final class Stored {
    long all;
    long bounded;
  }

  private Result check(int tenant, long bound) throws IOException {
    // Derived counts first, the store scan second: see the class comment.
    Map<LocalDate, Long> indexed = new TreeMap<>();
    for (LocalDate day : index.days()) {
      long from = day.toEpochDay() * DAY_NANOS;
      long n = indexCount(tenant, new TimeRange(from, from + DAY_NANOS));
      if (n > 0) {
        indexed.put(day, n);
      }
    }
    OptionalLong rolledUp = rollups == null ? OptionalLong.empty() : OptionalLong.of(
        rollups.aggregate(tenant, 0, Long.MAX_VALUE / MINUTE_NANOS, EnumSet.of(Section.COUNTS)).total());

    Map<LocalDate, Stored> stored = new TreeMap<>();
    long[] undecodable = {0};
    String[] firstUndecodable = {null};
    store.checkScan(tenant, new EventStore.CheckVisitor() {
      // The scan runs in time order: look the day up only when it changes.
      long epochDay = Long.MIN_VALUE;
      Stored day;

      @Override
      public void visit(EventId id, CorruptEventException failure) {
        long d = Math.floorDiv(id.timeNanos(), DAY_NANOS);
        if (d != epochDay) {
          epochDay = d;
          day = stored.computeIfAbsent(LocalDate.ofEpochDay(d), k -> new Stored());
        }
        day.all++;
        if (id.seq() <= bound) {
          day.bounded++;
        }
        if (failure != null && undecodable[0]++ == 0) {
          firstUndecodable[0] = id.hex() + ": " + failure.getMessage();
        }
      }
    });

    String name = names.apply(tenant);
    List<String> problems = new ArrayList<>();
    long events = 0;
    long bounded = 0;
    long indexedTotal = 0;
    SortedSet<LocalDate> days = new TreeSet<>(stored.keySet());
    days.addAll(indexed.keySet());
    for (LocalDate day : days) {
      Stored s = stored.getOrDefault(day, new Stored());
      long n = indexed.getOrDefault(day, 0L);
      events += s.all;
      bounded += s.bounded;
      indexedTotal += n;
      if (n < s.bounded || n > s.all) {
        problems.add(String.format(Locale.ROOT, "tenant %s, day %s: %,d events stored but %,d indexed",
            name, day, n < s.bounded ? s.bounded : s.all, n));
      }
    }
    if (rolledUp.isPresent() && (rolledUp.getAsLong() < bounded || rolledUp.getAsLong() > events)) {
      long r = rolledUp.getAsLong();
      problems.add(String.format(Locale.ROOT, "tenant %s: %,d events stored but %,d counted in the rollups",
          name, r < bounded ? bounded : events, r));
    }
    if (undecodable[0] > 0) {
      problems.add(String.format(Locale.ROOT, "tenant %s: %,d stored events cannot be decoded (first: %s)",
          name, undecodable[0], firstUndecodable[0]));
    }
    return new Result(
        new Verification.TenantCheck(tenant, events, indexedTotal, rolledUp, undecodable[0]), problems);
  }

  private long indexCount(int tenant, TimeRange range) throws IOException {
    try {
      return searcher.count(tenant, "", range);
    } catch (QuerySyntaxException e) {
      throw new IllegalStateException("the empty query does not parse", e); // cannot happen
    }
  }
}
