package io.logd.query;

import io.logd.event.EventId;
import io.logd.event.StoredEvent;
import io.logd.index.DocumentMapper;
import io.logd.index.FieldSchema;
import io.logd.index.FieldType;
import io.logd.index.IndexSet;
import io.logd.rollup.Rollup;
import io.logd.rollup.RollupSet;
import io.logd.rollup.Section;
import io.logd.store.EventStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.document.IntField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TotalHitCountCollectorManager;
import org.apache.lucene.util.BytesRef;

/**
 * Answers queries over the day indexes and fetches the matching events from the store by key.
 *
 * <p>Every entry point takes a tenant, and every Lucene query built here carries a mandatory
 * tenant filter: there is no way to search without one. The query text is parsed once per day,
 * against that day's field schema, because field types may differ from day to day.
 */
public final class Searcher {
  private static final long DAY_NANOS = 86_400_000_000_000L;

  /** Most buckets one histogram answers. */
  public static final int MAX_BUCKETS = 100_000;

  /** Most events one search returns. */
  public static final int MAX_LIMIT = 10_000;

  private final IndexSet index;
  private final EventStore store;
  /** Null when rollups are off: hits and stats then always come from the index. */
  private final RollupSet rollups;
  private final LogQueryParser parser;

  /**
   * @param rollups the rollups that answer {@link #hits} and {@link #stats} when the query allows,
   *     or null
   */
  public Searcher(IndexSet index, EventStore store, RollupSet rollups) {
    this.index = index;
    this.store = store;
    this.rollups = rollups;
    this.parser = new LogQueryParser(true, new StoredMessages(store));
  }

  /** Where a count came from. Either way the numbers are the same. */
  public enum Source {
    ROLLUPS,
    INDEX;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A search.
   *
   * @param cursor where the previous page ended, or null for the first page; its order wins over
   *     {@code newestFirst}
   */
  public record Request(int tenant, String q, TimeRange range, int limit, Cursor cursor, boolean newestFirst) {
    public Request {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
      }
    }
  }

  /** A page of events; {@code next} is null on the last page. */
  public record Page(List<StoredEvent> events, Cursor next) {}

  /** Checks that {@code q} parses, without searching. */
  public void validate(String q) throws QuerySyntaxException {
    parser.parse(q, FieldSchema.empty());
  }

  public Page search(Request r) throws QuerySyntaxException, IOException {
    validate(r.q());
    boolean newestFirst = r.cursor() != null ? r.cursor().newestFirst() : r.newestFirst();
    long from = r.range().fromNanos();
    long to = r.range().toNanos();
    Cursor c = r.cursor();
    if (c != null) {
      if (newestFirst) {
        to = Math.min(to, c.timeNanos() == Long.MAX_VALUE ? c.timeNanos() : c.timeNanos() + 1);
      } else {
        from = Math.max(from, c.timeNanos());
      }
    }
    List<EventId> ids = new ArrayList<>(r.limit() + 1);
    int want = r.limit() + 1; // one more than asked tells whether a next page exists
    long f = from;
    long t = to;
    EventId after = c == null ? null : new EventId(c.timeNanos(), c.seq());
    index.forEachDay(from, to, newestFirst, (day, searcher, schema) -> {
      if (searcher.getIndexReader().maxDoc() == 0) {
        return true;
      }
      TimeOrderedSearch.TopEvents top = new TimeOrderedSearch.TopEvents(want - ids.size(), newestFirst, after);
      TimeOrderedSearch.collect(searcher, build(r.tenant(), r.q(), searcher, schema, f, t), top);
      ids.addAll(top.drain());
      return ids.size() < want;
    });
    Cursor next = null;
    if (ids.size() > r.limit()) {
      ids.remove(ids.size() - 1);
      EventId last = ids.get(ids.size() - 1);
      next = new Cursor(last.timeNanos(), last.seq(), newestFirst);
    }
    return new Page(store.multiGet(r.tenant(), ids), next);
  }

  /** Number of matching events. */
  public long count(int tenant, String q, TimeRange range) throws QuerySyntaxException, IOException {
    validate(q);
    long[] total = {0};
    index.forEachDay(range.fromNanos(), range.toNanos(), true, (day, searcher, schema) -> {
      total[0] += searcher.search(build(tenant, q, searcher, schema, range.fromNanos(), range.toNanos()),
          new TotalHitCountCollectorManager(searcher.getSlices()));
      return true;
    });
    return total[0];
  }

  /** A histogram bucket: events with {@code t <= time < t + step}. */
  public record Bucket(long startNanos, long count) {}

  public record Hits(long total, List<Bucket> buckets, Source source) {}

  /**
   * Counts matches per time bucket of {@code stepNanos}, aligned to multiples of the step since the
   * epoch. Every bucket in the range is present, empty ones with zero. An open-ended range is
   * clamped to the days that have an index.
   *
   * <p>When {@code q} matches everything or is one term on {@code level}, {@code service} or {@code
   * host}, and the step is whole minutes, the whole minutes of the range are read from the rollups
   * and only the partial minutes at its edges from the index.
   */
  public Hits hits(int tenant, String q, TimeRange range, long stepNanos) throws QuerySyntaxException, IOException {
    return hits(tenant, q, range, stepNanos, true);
  }

  /** {@link #hits(int, String, TimeRange, long)}, with rollups allowed or not (tests compare both). */
  public Hits hits(int tenant, String q, TimeRange range, long stepNanos, boolean allowRollups)
      throws QuerySyntaxException, IOException {
    validate(q);
    if (stepNanos <= 0) {
      throw new IllegalArgumentException("step must be positive");
    }
    RollupFilter filter = allowRollups && rollups != null && stepNanos % MINUTE_NANOS == 0 ? RollupFilter.of(q) : null;
    if (filter == null) {
      return hitsFromIndex(tenant, q, range, stepNanos);
    }
    long[] span = resolve(range);
    if (span == null) {
      return new Hits(0, List.of(), Source.ROLLUPS);
    }
    long from = span[0];
    long to = span[1];
    long fromMinute = Math.ceilDiv(from, MINUTE_NANOS);
    long toMinute = Math.floorDiv(to, MINUTE_NANOS);
    if (fromMinute >= toMinute) {
      return hitsFromIndex(tenant, q, range, stepNanos);
    }
    long first = Math.floorDiv(from, stepNanos) * stepNanos;
    long[] counts = new long[checkedBuckets(first, to, stepNanos)];
    long stepMinutes = stepNanos / MINUTE_NANOS;
    List<Rollup> series = rollups.series(tenant, fromMinute, toMinute, stepMinutes, EnumSet.of(filter.section()));
    for (Rollup r : series) {
      long n = filter.key() == null ? r.total() : r.count(filter.section(), filter.key());
      if (filter.key() != null && r.overflow(filter.section()) > 0) {
        return hitsFromIndex(tenant, q, range, stepNanos); // the key may hide in the overflow
      }
      long start = Math.max(r.startMinute() * MINUTE_NANOS, first);
      counts[(int) ((start - first) / stepNanos)] += n;
    }
    for (TimeRange edge : List.of(new TimeRange(from, fromMinute * MINUTE_NANOS), new TimeRange(toMinute * MINUTE_NANOS, to))) {
      if (edge.toNanos() > edge.fromNanos()) {
        for (Bucket b : hitsFromIndex(tenant, q, edge, stepNanos).buckets()) {
          counts[(int) ((b.startNanos() - first) / stepNanos)] += b.count();
        }
      }
    }
    return toHits(first, stepNanos, counts, Source.ROLLUPS);
  }

  private static final long MINUTE_NANOS = 60_000_000_000L;

  /** A bounded range's {@code [from, to)}, an open end clamped to the indexed days; null when empty. */
  private long[] resolve(TimeRange range) {
    List<java.time.LocalDate> days = index.days();
    if (days.isEmpty()) {
      return null;
    }
    long dataFrom = days.get(0).toEpochDay() * DAY_NANOS;
    long dataTo = (days.get(days.size() - 1).toEpochDay() + 1) * DAY_NANOS;
    long from = range.fromNanos() > 0 ? range.fromNanos() : dataFrom;
    long to = range.toNanos() != Long.MAX_VALUE ? range.toNanos() : dataTo;
    return to <= from ? null : new long[] {from, to};
  }

  private static int checkedBuckets(long first, long to, long stepNanos) {
    long buckets = (to - first + stepNanos - 1) / stepNanos;
    if (buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException("more than " + MAX_BUCKETS + " buckets; use a larger step");
    }
    return (int) buckets;
  }

  private static Hits toHits(long first, long stepNanos, long[] counts, Source source) {
    List<Bucket> out = new ArrayList<>(counts.length);
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      out.add(new Bucket(first + i * stepNanos, counts[i]));
      total += counts[i];
    }
    return new Hits(total, out, source);
  }

  private Hits hitsFromIndex(int tenant, String q, TimeRange range, long stepNanos) throws IOException {
    long[] span = resolve(range);
    if (span == null) {
      return new Hits(0, List.of(), Source.INDEX);
    }
    long from = span[0];
    long to = span[1];
    long first = Math.floorDiv(from, stepNanos) * stepNanos;
    long[] counts = new long[checkedBuckets(first, to, stepNanos)];
    index.forEachDay(from, to, true, (day, searcher, schema) -> {
      Query user = parsed(q, schema);
      searcher.search(build(tenant, user, DocumentMapper.layoutOf(searcher.getIndexReader()), from, to),
          user instanceof MatchAllDocsQuery
          ? TimeBucketCollector.everyEvent(first, stepNanos, counts, tenant, from, to)
          : new TimeBucketCollector(first, stepNanos, counts));
      return true;
    });
    return toHits(first, stepNanos, counts, Source.INDEX);
  }

  /**
   * Totals of the matching events: their number, counts by level and by service (largest first),
   * and the number of distinct hosts.
   */
  public record Stats(long total, Map<String, Long> byLevel, Map<String, Long> byService, long uniqueHosts, Source source) {}

  /**
   * Totals of the matches in {@code range}. When {@code q} matches everything, the whole minutes of
   * the range come from the rollups and only the partial minutes at its edges from the index.
   */
  public Stats stats(int tenant, String q, TimeRange range) throws QuerySyntaxException, IOException {
    return stats(tenant, q, range, true);
  }

  /** {@link #stats(int, String, TimeRange)}, with rollups allowed or not (tests compare both). */
  public Stats stats(int tenant, String q, TimeRange range, boolean allowRollups) throws QuerySyntaxException, IOException {
    validate(q);
    RollupFilter filter = allowRollups && rollups != null ? RollupFilter.of(q) : null;
    long fromMinute = Math.ceilDiv(range.fromNanos(), MINUTE_NANOS);
    long toMinute = Math.floorDiv(range.toNanos(), MINUTE_NANOS);
    if (filter == null || filter.key() != null || fromMinute >= toMinute) {
      return statsFromIndex(tenant, q, range);
    }
    Rollup r = rollups.aggregate(tenant, fromMinute, toMinute,
        EnumSet.of(Section.COUNTS, Section.LEVEL, Section.SERVICE, Section.HOST));
    if (r.overflow(Section.LEVEL) > 0 || r.overflow(Section.SERVICE) > 0 || r.overflow(Section.HOST) > 0) {
      return statsFromIndex(tenant, q, range);
    }
    long total = r.total();
    Map<String, long[]> levels = new HashMap<>();
    Map<String, long[]> services = new HashMap<>();
    Set<String> hosts = new HashSet<>(r.counts(Section.HOST).keySet());
    r.counts(Section.LEVEL).forEach((k, v) -> levels.put(k, new long[] {v}));
    r.counts(Section.SERVICE).forEach((k, v) -> services.put(k, new long[] {v}));
    for (TimeRange edge : List.of(new TimeRange(range.fromNanos(), fromMinute * MINUTE_NANOS),
        new TimeRange(toMinute * MINUTE_NANOS, range.toNanos()))) {
      if (edge.toNanos() > edge.fromNanos()) {
        Map<String, List<ValueCount>> f = facets(tenant, q, edge, List.of("level", "service", "host"), Integer.MAX_VALUE);
        total += count(tenant, q, edge);
        f.get("level").forEach(v -> levels.computeIfAbsent(v.value(), k -> new long[1])[0] += v.count());
        f.get("service").forEach(v -> services.computeIfAbsent(v.value(), k -> new long[1])[0] += v.count());
        f.get("host").forEach(v -> hosts.add(v.value()));
      }
    }
    return new Stats(total, ordered(levels), ordered(services), hosts.size(), Source.ROLLUPS);
  }

  private Stats statsFromIndex(int tenant, String q, TimeRange range) throws QuerySyntaxException, IOException {
    Map<String, List<ValueCount>> f = facets(tenant, q, range, List.of("level", "service", "host"), Integer.MAX_VALUE);
    Map<String, Long> byLevel = new LinkedHashMap<>();
    f.get("level").forEach(v -> byLevel.put(v.value(), v.count()));
    Map<String, Long> byService = new LinkedHashMap<>();
    f.get("service").forEach(v -> byService.put(v.value(), v.count()));
    return new Stats(count(tenant, q, range), byLevel, byService, f.get("host").size(), Source.INDEX);
  }

  private static Map<String, Long> ordered(Map<String, long[]> counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    top(counts, Integer.MAX_VALUE).forEach(v -> out.put(v.value(), v.count()));
    return out;
  }

  /** A value of a field and how many matching events have it. */
  public record ValueCount(String value, long count) {}

  /**
   * The top {@code limit} values of each field over the matching events, most frequent first.
   * Keyword, bool and IP fields count their text values, numeric fields their numbers; the
   * well-known fields {@code host}, {@code service}, {@code level}, {@code facility} and
   * {@code tags} work too.
   */
  public Map<String, List<ValueCount>> facets(int tenant, String q, TimeRange range, List<String> fields, int limit)
      throws QuerySyntaxException, IOException {
    validate(q);
    Map<String, Map<String, long[]>> counts = new LinkedHashMap<>();
    for (String f : fields) {
      counts.put(f, new HashMap<>());
    }
    index.forEachDay(range.fromNanos(), range.toNanos(), true, (day, searcher, schema) -> {
      Query query = build(tenant, q, searcher, schema, range.fromNanos(), range.toNanos());
      searcher.search(query, new FacetCollector(fields, schema, counts));
      return true;
    });
    Map<String, List<ValueCount>> out = new LinkedHashMap<>();
    counts.forEach((field, values) -> out.put(field, top(values, limit)));
    return out;
  }

  private static List<ValueCount> top(Map<String, long[]> values, int limit) {
    List<ValueCount> all = new ArrayList<>(values.size());
    values.forEach((v, c) -> all.add(new ValueCount(v, c[0])));
    all.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count()) : a.value().compareTo(b.value()));
    return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
  }

  /** Counts doc values of several fields per segment: ordinals for keywords, numbers otherwise. */
  private static final class FacetCollector extends SimpleCollector {
    private final List<String> fields;
    private final FieldSchema schema;
    private final Map<String, Map<String, long[]>> counts;
    private final SortedSetDocValues[] keywords;
    private final SortedNumericDocValues[] numbers;
    private final long[][] ordCounts;
    private final FieldType[] types;

    FacetCollector(List<String> fields, FieldSchema schema, Map<String, Map<String, long[]>> counts) {
      this.fields = fields;
      this.schema = schema;
      this.counts = counts;
      this.keywords = new SortedSetDocValues[fields.size()];
      this.numbers = new SortedNumericDocValues[fields.size()];
      this.ordCounts = new long[fields.size()][];
      this.types = new FieldType[fields.size()];
      for (int i = 0; i < fields.size(); i++) {
        types[i] = DocumentMapper.facetType(fields.get(i), schema);
      }
    }

    @Override
    protected void doSetNextReader(LeafReaderContext context) throws IOException {
      flushOrdinals();
      for (int i = 0; i < fields.size(); i++) {
        keywords[i] = null;
        numbers[i] = null;
        ordCounts[i] = null;
        FieldType type = types[i];
        if (type == null) {
          continue;
        }
        String dvField = DocumentMapper.docValuesField(fields.get(i), schema);
        if (type == FieldType.LONG || type == FieldType.DOUBLE) {
          numbers[i] = context.reader().getSortedNumericDocValues(dvField);
        } else {
          SortedSetDocValues dv = context.reader().getSortedSetDocValues(dvField);
          if (dv != null) {
            keywords[i] = dv;
            ordCounts[i] = new long[(int) Math.min(dv.getValueCount(), Integer.MAX_VALUE - 8)];
          }
        }
      }
    }

    @Override
    public void collect(int doc) throws IOException {
      for (int i = 0; i < fields.size(); i++) {
        SortedSetDocValues kw = keywords[i];
        if (kw != null) {
          if (kw.advanceExact(doc)) {
            for (int k = 0; k < kw.docValueCount(); k++) {
              ordCounts[i][(int) kw.nextOrd()]++;
            }
          }
          continue;
        }
        SortedNumericDocValues num = numbers[i];
        if (num != null && num.advanceExact(doc)) {
          Map<String, long[]> c = counts.get(fields.get(i));
          for (int k = 0; k < num.docValueCount(); k++) {
            String v = DocumentMapper.numericText(types[i], num.nextValue());
            c.computeIfAbsent(v, x -> new long[1])[0]++;
          }
        }
      }
    }

    /** Turns the previous segment's ordinal counts into value counts. */
    private void flushOrdinals() throws IOException {
      for (int i = 0; i < fields.size(); i++) {
        long[] oc = ordCounts[i];
        if (oc == null) {
          continue;
        }
        Map<String, long[]> c = counts.get(fields.get(i));
        for (int ord = 0; ord < oc.length; ord++) {
          if (oc[ord] > 0) {
            BytesRef term = keywords[i].lookupOrd(ord);
            c.computeIfAbsent(term.utf8ToString(), x -> new long[1])[0] += oc[ord];
          }
        }
        ordCounts[i] = null;
      }
    }

    @Override
    public void finish() throws IOException {
      flushOrdinals();
    }

    @Override
    public ScoreMode scoreMode() {
      return ScoreMode.COMPLETE_NO_SCORES;
    }
  }

  /** A field name and its type on the days searched (several when days disagree). */
  public record FieldInfo(String name, List<FieldType> types) {}

  /** The field names of the days overlapping {@code range}, with their types. */
  public List<FieldInfo> fields(int tenant, TimeRange range) throws IOException {
    Map<String, List<FieldType>> all = new TreeMap<>();
    index.forEachDay(range.fromNanos(), range.toNanos(), true, (day, searcher, schema) -> {
      schema.fields().forEach((name, type) -> {
        List<FieldType> types = all.computeIfAbsent(name, k -> new ArrayList<>(1));
        if (!types.contains(type)) {
          types.add(type);
        }
      });
      return true;
    });
    List<FieldInfo> out = new ArrayList<>(all.size());
    all.forEach((name, types) -> out.add(new FieldInfo(name, List.copyOf(types))));
    return out;
  }

  /** The top values of one field over matching events. */
  public List<ValueCount> fieldValues(int tenant, String field, String q, TimeRange range, int limit)
      throws QuerySyntaxException, IOException {
    return facets(tenant, q, range, List.of(field), limit).getOrDefault(field, List.of());
  }

  /** The events around one event, from the same host and service. */
  public record Context(List<StoredEvent> before, StoredEvent event, List<StoredEvent> after) {}

  /**
   * Up to {@code before} events just older and {@code after} just newer than the event, from the
   * same host and service, both lists in time order (oldest first). Empty when the event is not
   * this tenant's.
   */
  public Optional<Context> context(int tenant, EventId id, int before, int after) throws IOException {
    Optional<StoredEvent> center = store.get(tenant, id);
    if (center.isEmpty()) {
      return Optional.empty();
    }
    String filter = DocumentMapper.sameSourceQuery(center.get().event());
    try {
      Cursor olderStart = new Cursor(id.timeNanos(), id.seq(), true);
      Cursor newerStart = new Cursor(id.timeNanos(), id.seq(), false);
      List<StoredEvent> older = before <= 0 ? List.of()
          : search(new Request(tenant, filter, TimeRange.ALL, Math.min(before, MAX_LIMIT), olderStart, true)).events();
      List<StoredEvent> newer = after <= 0 ? List.of()
          : search(new Request(tenant, filter, TimeRange.ALL, Math.min(after, MAX_LIMIT), newerStart, false)).events();
      List<StoredEvent> olderAsc = new ArrayList<>(older);
      Collections.reverse(olderAsc);
      return Optional.of(new Context(olderAsc, center.get(), newer));
    } catch (QuerySyntaxException e) {
      throw new IllegalStateException("generated context query does not parse: " + filter, e);
    }
  }

  /**
   * Every match in order, fetched page by page, so memory stays constant however many match.
   * Not thread-safe; close it when done (or let it run out).
   */
  public ExportIterator export(int tenant, String q, TimeRange range, boolean newestFirst)
      throws QuerySyntaxException {
    validate(q);
    return new ExportIterator(this, tenant, q, range, newestFirst);
  }

  /** The user's part of a query, parsed against one day's schema (the text is already validated). */
  private Query parsed(String q, FieldSchema schema) throws IOException {
    try {
      return parser.parse(q, schema);
    } catch (QuerySyntaxException e) {
      throw new IOException("query validated but failed on day schema: " + e.getMessage(), e);
    }
  }

  /** Builds the per-day query: tenant filter, time filter, then the user's query. */
  Query build(int tenant, String q, IndexSearcher searcher, FieldSchema schema, long from, long to) throws IOException {
    return build(tenant, parsed(q, schema), DocumentMapper.layoutOf(searcher.getIndexReader()), from, to);
  }

  private static Query build(int tenant, Query user, DocumentMapper.Layout layout, long from, long to) {
    BooleanQuery.Builder b = new BooleanQuery.Builder()
        .add(IntField.newExactQuery(DocumentMapper.TENANT, tenant), BooleanClause.Occur.FILTER);
    if (from > 0 || to != Long.MAX_VALUE) {
      b.add(DocumentMapper.timeRange(layout, from, to == Long.MAX_VALUE ? to : to - 1), BooleanClause.Occur.FILTER);
    }
    if (user instanceof MatchAllDocsQuery) {
      return b.build();
    }
    return b.add(user, BooleanClause.Occur.FILTER).build();
  }
}
