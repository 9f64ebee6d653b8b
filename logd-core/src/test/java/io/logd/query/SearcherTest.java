package io.logd.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.event.EventId;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.event.StoredEvent;
import io.logd.index.FieldType;
import io.logd.ingest.IngestPipeline;
import io.logd.testing.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query engine end to end: engine, store, day indexes and searcher, on a real data directory. */
class SearcherTest {
  static final int T = Logd.DEFAULT_TENANT;
  static final int OTHER = 2;
  static final long MIN = 60_000_000_000L;
  static final long DAY = 1440 * MIN;
  /** 2026-11-22T00:00:00Z */
  static final long D0 = LocalDate.of(2026, 11, 22).toEpochDay() * DAY;

  @TempDir Path dir;
  Logd logd;

  @BeforeEach
  void open() throws IOException {
    logd = open(dir);
  }

  static Logd open(Path dir) throws IOException {
    return Logd.builder()
        .config(LogdConfig.defaults().withDataDir(dir))
        .clock(Clock.fixed(Instant.ofEpochSecond(D0 / 1_000_000_000L + 2 * 86_400), ZoneOffset.UTC))
        .open();
  }

  @AfterEach
  void close() throws IOException {
    if (logd != null) {
      logd.close();
    }
  }

  long ingest(int tenant, List<LogEvent> events) throws Exception {
    IngestPipeline.Accepted a = assertInstanceOf(IngestPipeline.Accepted.class, logd.ingest(tenant, events));
    return a.ack().get(30, TimeUnit.SECONDS).firstSeq();
  }

  static LogEvent event(long time, String host, String service, Severity level, String message, long n) {
    return LogEvent.builder().timestampNanos(time).receivedNanos(time).host(host).service(service)
        .level(level).message(message).field("n", n).build();
  }

  Searcher.Page search(String q, TimeRange range, int limit, Cursor cursor, boolean newestFirst) throws Exception {
    return logd.searcher().search(new Searcher.Request(T, q, range, limit, cursor, newestFirst));
  }

  static long n(StoredEvent e) {
    return ((FieldValue.LongValue) e.event().fields().get("n")).value();
  }

  /** The {@code n} of every event, fetched in pages of 7 by cursor. */
  List<Long> everyPage(boolean newestFirst) throws Exception {
    List<Long> got = new ArrayList<>();
    Cursor cursor = null;
    do {
      Searcher.Page page = search("", TimeRange.ALL, 7, cursor, newestFirst);
      page.events().forEach(e -> got.add(n(e)));
      cursor = page.next();
    } while (cursor != null);
    return got;
  }

  @Test
  void newEventsBecomeSearchableWithoutAnyFlush() throws Exception {
    ingest(T, List.of(event(D0 + 5, "web-1", "api", Severity.INFO, "fresh marker-7781", 1)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<StoredEvent> found;
    do {
      found = search("marker-7781", TimeRange.ALL, 10, null, true).events();
    } while (found.isEmpty() && System.nanoTime() < deadline);
    assertEquals(1, found.size(), "NRT refresh makes the event searchable on its own");
  }

  @Test
  void dayBoundariesAndLateEventsEachLandInTheirOwnDay() throws Exception {
    ingest(T, List.of(
        event(D0 + DAY - 1, "h", "s", Severity.INFO, "last nanosecond of the day", 1),
        event(D0 + DAY, "h", "s", Severity.INFO, "first nanosecond of the next day", 2)));
    ingest(T, List.of(event(D0 - 10 * DAY, "h", "s", Severity.INFO, "a late event from ten days ago", 3)));
    logd.index().awaitSearchable();
    assertEquals(List.of(LocalDate.of(2026, 11, 12), LocalDate.of(2026, 11, 22), LocalDate.of(2026, 11, 23)),
        logd.index().days());
    assertTrue(Files.isDirectory(dir.resolve("index/2026-11-12")));
    List<StoredEvent> both = search("", new TimeRange(D0, D0 + 2 * DAY), 10, null, true).events();
    assertEquals(List.of(2L, 1L), both.stream().map(SearcherTest::n).toList());
    assertEquals(List.of(1L), search("", new TimeRange(D0, D0 + DAY), 10, null, true).events().stream().map(SearcherTest::n).toList());
    assertEquals(List.of(2L), search("", new TimeRange(D0 + DAY, D0 + DAY + 1), 10, null, true).events().stream().map(SearcherTest::n).toList());
    assertEquals(List.of(3L, 1L, 2L), search("", TimeRange.ALL, 10, null, false).events().stream().map(SearcherTest::n).toList());
  }

  @Test
  void pagesComeInTimeOrderWhenSegmentsWereWrittenOutOfIt() throws Exception {
    // Each batch becomes its own segment, and the segments' reader order is not their time order.
    long[] starts = {30 * MIN, 10 * MIN, 50 * MIN, 20 * MIN};
    long n = 0;
    List<Long> expected = new ArrayList<>();
    for (long start : starts) {
      List<LogEvent> batch = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        batch.add(event(D0 + start + i * 1_000_000_000L, "h", "s", Severity.INFO, "segment order " + (i % 3), n));
        expected.add(n++);
      }
      ingest(T, batch);
      logd.index().awaitSearchable();
    }
    expected.sort(java.util.Comparator.comparingLong(k -> starts[(int) (k / 40)] * 1000 + k % 40));
    for (boolean newestFirst : new boolean[] {true, false}) {
      List<Long> want = new ArrayList<>(expected);
      if (newestFirst) {
        java.util.Collections.reverse(want);
      }
      assertEquals(want, everyPage(newestFirst), newestFirst ? "newest first" : "oldest first");
      List<Long> matching = want.stream().filter(k -> k % 40 % 3 == 1).limit(5).toList();
      assertEquals(matching, search("\"order 1\"", TimeRange.ALL, 5, null, newestFirst).events().stream()
          .map(SearcherTest::n).toList());
    }
  }

  @Test
  void everyQueryIsTenantFiltered() throws Exception {
    ingest(T, List.of(event(D0 + 1, "h", "s", Severity.INFO, "shared words", 1)));
    ingest(OTHER, List.of(event(D0 + 2, "h", "s", Severity.INFO, "shared words", 2)));
    logd.index().awaitSearchable();
    assertEquals(List.of(1L), search("shared", TimeRange.ALL, 10, null, true).events().stream().map(SearcherTest::n).toList());
    assertEquals(1, logd.searcher().count(T, "", TimeRange.ALL));
    assertEquals(1, logd.searcher().count(OTHER, "shared", TimeRange.ALL));
  }

  @Test
  void cursorPagingWhileIngestingHasNoDuplicatesAndNoGaps() throws Exception {
    long seed = System.nanoTime();
    System.out.println("SearcherTest.cursorPaging seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<LogEvent> initial = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      // Duplicated timestamps on purpose: seq breaks the tie.
      initial.add(event(D0 + rnd.nextLong(DAY * 2) / 1000 * 1000, "h", "s", Severity.INFO, "page me", i));
    }
    ingest(T, initial);
    logd.index().awaitSearchable();
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = Thread.ofPlatform().start(() -> {
      SplittableRandom r = new SplittableRandom(seed + 1);
      long n = 1_000_000;
      while (!stop.get()) {
        List<LogEvent> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          batch.add(event(D0 + r.nextLong(DAY * 2), "h", "s", Severity.INFO, "page me", n++));
        }
        logd.ingest(T, batch);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    try {
      for (boolean newestFirst : new boolean[] {true, false}) {
        Set<Long> seen = new HashSet<>();
        Cursor cursor = null;
        EventId previous = null;
        int pages = 0;
        do {
          Searcher.Page page = search("page", new TimeRange(D0, D0 + 2 * DAY), 7, cursor, newestFirst);
          for (StoredEvent e : page.events()) {
            assertTrue(seen.add(n(e)), "duplicate " + n(e) + "; seed " + seed);
            if (previous != null) {
              int c = previous.compareTo(e.id());
              assertTrue(newestFirst ? c > 0 : c < 0, "order broken at " + e.id() + "; seed " + seed);
            }
            previous = e.id();
          }
          cursor = page.next();
          pages++;
        } while (cursor != null && pages < 10_000);
        for (int i = 0; i < 500; i++) {
          assertTrue(seen.contains((long) i), "gap: initial event " + i + " never paged; seed " + seed);
        }
      }
    } finally {
      stop.set(true);
      writer.join();
    }
  }

  @Test
  void hitsFacetsFieldsAndValues() throws Exception {
    List<LogEvent> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      events.add(LogEvent.builder().timestampNanos(D0 + i * MIN).receivedNanos(D0 + i * MIN)
          .host("web-" + (i % 3)).service(i % 4 == 0 ? "db" : "api")
          .level(i % 10 == 0 ? Severity.ERROR : Severity.INFO)
          .message("request " + i).field("status", i % 10 == 0 ? 500 : 200).field("n", i).build());
    }
    ingest(T, events);
    logd.index().awaitSearchable();
    Searcher.Hits hits = logd.searcher().hits(T, "", new TimeRange(D0, D0 + 60 * MIN), 10 * MIN);
    assertEquals(60, hits.total());
    assertEquals(6, hits.buckets().size());
    for (Searcher.Bucket b : hits.buckets()) {
      assertEquals(10, b.count());
    }
    assertEquals(D0 + 50 * MIN, hits.buckets().get(5).startNanos());
    Searcher.Hits errors = logd.searcher().hits(T, "status:[500 TO 599]", new TimeRange(D0, D0 + 60 * MIN), 30 * MIN);
    assertEquals(6, errors.total());
    assertEquals(List.of(3L, 3L), errors.buckets().stream().map(Searcher.Bucket::count).toList());

    Map<String, List<Searcher.ValueCount>> facets =
        logd.searcher().facets(T, "", TimeRange.ALL, List.of("service", "level", "status", "host"), 10);
    assertEquals(List.of(new Searcher.ValueCount("api", 45), new Searcher.ValueCount("db", 15)), facets.get("service"));
    assertEquals(List.of(new Searcher.ValueCount("info", 54), new Searcher.ValueCount("error", 6)), facets.get("level"));
    assertEquals(List.of(new Searcher.ValueCount("200", 54), new Searcher.ValueCount("500", 6)), facets.get("status"));
    assertEquals(3, facets.get("host").size());
    assertEquals(List.of(new Searcher.ValueCount("db", 3)),
        logd.searcher().facets(T, "level:error AND service:db", TimeRange.ALL, List.of("service"), 10).get("service"));

    List<Searcher.FieldInfo> fields = logd.searcher().fields(T, TimeRange.ALL);
    assertTrue(fields.contains(new Searcher.FieldInfo("status", List.of(FieldType.LONG))), fields.toString());
    assertEquals(List.of(new Searcher.ValueCount("web-0", 20)),
        logd.searcher().fieldValues(T, "host", "", TimeRange.ALL, 1));
  }

  @Test
  void contextGivesNeighboursFromTheSameHostAndService() throws Exception {
    List<LogEvent> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(event(D0 + i * MIN, i % 2 == 0 ? "web-1" : "web-2", "api", Severity.INFO, "line " + i, i));
    }
    long first = ingest(T, events);
    logd.index().awaitSearchable();
    EventId center = new EventId(D0 + 14 * MIN, first + 14);
    Searcher.Context ctx = logd.searcher().context(T, center, 3, 2).orElseThrow();
    assertEquals(14, n(ctx.event()));
    assertEquals(List.of(8L, 10L, 12L), ctx.before().stream().map(SearcherTest::n).toList());
    assertEquals(List.of(16L, 18L), ctx.after().stream().map(SearcherTest::n).toList());
    assertTrue(logd.searcher().context(OTHER, center, 3, 3).isEmpty(), "another tenant's event has no context");
  }

  @Test
  void exportStreamsEveryMatchInOrder() throws Exception {
    List<LogEvent> events = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < 2_500; i++) {
      events.add(TestEvents.nginx(rnd, D0 + rnd.nextLong(DAY), i));
    }
    ingest(T, events);
    logd.index().awaitSearchable();
    ExportIterator it = logd.searcher().export(T, "service:nginx", TimeRange.ALL, false);
    long count = 0;
    long lastTime = -1;
    Set<Long> ns = new HashSet<>();
    while (it.hasNext()) {
      StoredEvent e = it.next();
      assertTrue(e.id().timeNanos() >= lastTime);
      lastTime = e.id().timeNanos();
      ns.add(n(e));
      count++;
    }
    assertEquals(2_500, count);
    assertEquals(2_500, ns.size());
    assertFalse(it.hasNext());
  }

  @Test
  void badQueryReportsItsPosition() {
    QuerySyntaxException e = assertThrows(QuerySyntaxException.class,
        () -> search("service:api AND (level:error", TimeRange.ALL, 10, null, true));
    assertTrue(e.position() >= 0, e.getMessage());
  }

  @Test
  void restartNeitherLosesNorDuplicatesIndexedEvents() throws Exception {
    List<LogEvent> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      events.add(event(D0 + i, "h", "s", Severity.INFO, "persist", i));
    }
    ingest(T, events);
    logd.close();
    logd = open(dir);
    logd.index().awaitSearchable();
    assertEquals(300, logd.searcher().count(T, "persist", TimeRange.ALL));
    ingest(T, List.of(event(D0 + 1000, "h", "s", Severity.INFO, "persist", 300)));
    logd.index().awaitSearchable();
    assertEquals(301, logd.searcher().count(T, "persist", TimeRange.ALL));
  }

  @Test
  void reindexRebuildsFromTheStore() throws Exception {
    List<LogEvent> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      events.add(event(D0 + i * DAY / 100, "h", "s", Severity.INFO, "rebuild me", i));
    }
    ingest(T, events);
    ingest(OTHER, events.subList(0, 10));
    logd.index().awaitSearchable();
    assertEquals(210, logd.index().reindex());
    assertEquals(200, logd.searcher().count(T, "rebuild", TimeRange.ALL));
    assertEquals(10, logd.searcher().count(OTHER, "rebuild", TimeRange.ALL));
    ingest(T, List.of(event(D0, "h", "s", Severity.INFO, "rebuild me", 200)));
    logd.index().awaitSearchable();
    assertEquals(201, logd.searcher().count(T, "rebuild", TimeRange.ALL));
  }

  @Test
  void retentionRemovesWholeDayDirectories() throws Exception {
    // The clock is D0 + 2 days; the default max age is 30 days.
    ingest(T, List.of(
        event(D0 - 40 * DAY, "h", "s", Severity.INFO, "ancient", 1),
        event(D0 - 31 * DAY, "h", "s", Severity.INFO, "old", 2),
        event(D0, "h", "s", Severity.INFO, "recent", 3)));
    logd.index().awaitSearchable();
    assertEquals(3, logd.index().days().size());
    var report = logd.applyRetention();
    assertEquals(2, report.droppedDays().size());
    assertEquals(List.of(LocalDate.of(2026, 11, 22)), logd.index().days());
    assertFalse(Files.exists(dir.resolve("index/" + LocalDate.ofEpochDay((D0 - 40 * DAY) / DAY))));
    assertEquals(1, logd.searcher().count(T, "", TimeRange.ALL));
    assertNull(null);
    assertNotNull(report);
  }

  /**
   * A day index that an earlier build created sorted newest first, with {@code _time} as a point,
   * is still paged in both orders, counted and written to, in its own layout.
   */
  @Test
  void aDayIndexSortedByAnEarlierBuildIsStillSearchedAndWritten() throws Exception {
    List<LogEvent> old = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      old.add(event(D0 + 10 * MIN + i * 1_000_000_000L, "h", "s", Severity.INFO, "layout " + (i % 3), i));
    }
    long firstSeq = ingest(T, old);
    logd.index().awaitSearchable();
    logd.index().commitNow();
    logd.close();
    logd = null;

    // the day's index again, as an earlier build wrote it
    Path day = dir.resolve("index").resolve(LocalDate.ofEpochDay(D0 / DAY).toString());
    try (var files = Files.walk(day)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    io.logd.index.FieldSchema schema = new io.logd.index.FieldSchema(io.logd.index.FieldSchema.Limits.DEFAULTS);
    io.logd.index.DocumentMapper mapper = new io.logd.index.DocumentMapper();
    try (var directory = org.apache.lucene.store.FSDirectory.open(day);
        var writer = new org.apache.lucene.index.IndexWriter(directory,
            new org.apache.lucene.index.IndexWriterConfig(new io.logd.index.LogAnalyzer())
                .setIndexSort(io.logd.index.DocumentMapper.indexSort()))) {
      for (int i = 0; i < old.size(); i++) {
        EventId id = new EventId(old.get(i).timestampNanos(), firstSeq + i);
        writer.addDocument(mapper.map(T, id, old.get(i), schema, io.logd.index.DocumentMapper.Layout.SORTED_NEWEST_FIRST));
      }
      Map<String, String> data = new java.util.HashMap<>();
      data.put("maxSeq", Long.toString(firstSeq + old.size() - 1));
      schema.snapshot().forEach((k, v) -> data.put("schema." + k, v));
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
    }

    logd = open(dir);
    List<LogEvent> more = new ArrayList<>();
    for (int i = 40; i < 60; i++) {
      more.add(event(D0 + 5 * MIN + i * 1_000_000_000L, "h", "s", Severity.INFO, "layout " + (i % 3), i));
    }
    ingest(T, more);
    logd.index().awaitSearchable();
    logd.index().forEachDay(D0, D0 + DAY, true, (d, searcher, s) -> {
      assertEquals(io.logd.index.DocumentMapper.Layout.SORTED_NEWEST_FIRST,
          io.logd.index.DocumentMapper.layoutOf(searcher.getIndexReader()));
      return true;
    });
    // events 40..59 are five minutes older than 0..39
    List<Long> oldestFirst = new ArrayList<>();
    for (long n = 40; n < 60; n++) {
      oldestFirst.add(n);
    }
    for (long n = 0; n < 40; n++) {
      oldestFirst.add(n);
    }
    for (boolean newestFirst : new boolean[] {true, false}) {
      List<Long> want = new ArrayList<>(oldestFirst);
      if (newestFirst) {
        java.util.Collections.reverse(want);
      }
      assertEquals(want, everyPage(newestFirst), newestFirst ? "newest first" : "oldest first");
      assertEquals(want.stream().filter(n -> n % 3 == 2).limit(4).toList(),
          search("\"layout 2\"", new TimeRange(D0, D0 + DAY), 4, null, newestFirst).events().stream().map(SearcherTest::n).toList());
    }
    assertEquals(20, logd.searcher().count(T, "layout", new TimeRange(D0, D0 + 10 * MIN)));
  }

  @Test
  void severalIndexingThreadsIndexEveryEventOnce() throws Exception {
    logd.close();
    LogdConfig d = LogdConfig.defaults();
    LogdConfig.Index threads = new LogdConfig.Index(d.index().refreshInterval(), d.index().commitInterval(),
        d.index().maxFieldsPerEvent(), d.index().maxFieldsPerDay(), 3);
    logd = Logd.builder()
        .config(new LogdConfig(dir, d.http(), d.syslog(), d.auth(), d.ingest(), d.storage(), threads, d.rollups()))
        .open();
    SplittableRandom rnd = new SplittableRandom(9);
    List<LogEvent> events = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      events.add(TestEvents.nginx(rnd, D0 + rnd.nextLong(3 * DAY), i)); // one group, three days
    }
    ingest(T, events);
    logd.index().awaitSearchable();
    assertEquals(5_000, logd.searcher().count(T, "", TimeRange.ALL));
    Set<Long> seen = new HashSet<>();
    ExportIterator it = logd.searcher().export(T, "", TimeRange.ALL, true);
    while (it.hasNext()) {
      assertTrue(seen.add(n(it.next())));
    }
    assertEquals(5_000, seen.size());
  }

  @Test
  void aPatternPieceTooBroadForTheIndexIsCheckedAgainstTheStoredMessages() throws Exception {
    // "2*" expands to more parts than PartsPatternQuery looks up: every "sent 2<i> bytes" adds one
    List<LogEvent> events = new ArrayList<>();
    for (int i = 0; i <= PartsPatternQuery.MAX_EXPANSIONS; i++) {
      events.add(event(D0 + i, "web-1", "nginx", Severity.INFO, "client 10.1.3.4 sent 2" + i + " bytes", i));
    }
    events.add(event(D0 + 1_000_000, "web-1", "nginx", Severity.INFO, "client 10.1.2.3 sent 7 bytes", -1));
    events.add(event(D0 + 1_000_001, "web-1", "nginx", Severity.INFO, "client 10.1.20.9 sent 7 bytes", -2));
    ingest(T, events);
    ingest(OTHER, List.of(event(D0 + 1_000_002, "web-1", "nginx", Severity.INFO, "client 10.1.2.3 sent 7 bytes", -3)));
    logd.index().awaitSearchable();

    assertEquals(2, logd.searcher().count(T, "10.1.2*", TimeRange.ALL), "10.1.2.3 and 10.1.20.9, not 10.1.3.4");
    assertEquals(List.of(-2L, -1L),
        search("10.1.2* AND bytes", TimeRange.ALL, 10, null, true).events().stream().map(SearcherTest::n).toList());
    assertEquals(1, logd.searcher().count(T, "client 10.1.2*.3", TimeRange.ALL));
    assertEquals(PartsPatternQuery.MAX_EXPANSIONS + 1, logd.searcher().count(T, "10.1.3.4 AND sent 2*", TimeRange.ALL));
    assertEquals(1, logd.searcher().count(OTHER, "10.1.2*", TimeRange.ALL), "each tenant's own events");
  }
}
