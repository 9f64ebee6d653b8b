package io.logd.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;

/**
 * One UTC day's Lucene index in {@code data/index/YYYY-MM-DD}: an IndexWriter, an NRT
 * SearcherManager, and the day's field schema.
 *
 * <p>A new day index keeps documents in the order they are added ({@link
 * DocumentMapper.Layout#INSERTION_ORDER}): no index sort, so a flush writes its postings as they
 * are and a merge concatenates, and a {@link LogByteSizeMergePolicy}, which merges only neighbouring
 * segments and puts the result in their place, so segment order stays add order. A day index that
 * an earlier build created sorted newest first keeps that sort and its merge policy.
 *
 * <p>Each commit carries {@code maxSeq}, the highest seq in the day, and the schema. The indexer
 * adds events in seq order, so every event of this day with a seq at or below the committed
 * {@code maxSeq} is in the commit: replay after a crash skips exactly those.
 */
final class DayIndex implements Closeable {
  static final String MAX_SEQ = "maxSeq";
  static final String SCHEMA_PREFIX = "schema.";
  /**
   * Segments merged at once in insertion order. Twice Lucene's default: a day's events are then
   * rewritten about twice on their way to the largest segments instead of three times, which cut
   * the index side's CPU by about a tenth (benchmarks/RESULTS.md), for up to twice as many
   * segments per size level, which time-ordered pages skip by their time span.
   */
  static final int MERGE_FACTOR = 20;
  /**
   * Segments larger than this are never merged again, so a busy day's segments stop at about
   * {@link #MERGE_FACTOR} times this (around 1 GB at 100 k events/s) instead of growing a level
   * more. Every level rewrites each event once, about 3 us of CPU (benchmarks/RESULTS.md), while
   * the extra segments cost a day-wide search some 20-40 us each and time-ranged searches nothing,
   * as they skip segments by their time span. Lucene's default is 2048.
   */
  static final double MAX_MERGE_INPUT_MB = 512;

  final LocalDate day;
  final Path dir;
  final FieldSchema schema;
  final DocumentMapper.Layout layout;
  private final FSDirectory directory;
  private final IndexWriter writer;
  /** Keeps a backed-up commit's files while they are copied, although later commits supersede it. */
  private final SnapshotDeletionPolicy snapshots;
  private final SearcherManager searchers;
  private volatile long committedMaxSeq;
  private final AtomicLong maxSeq = new AtomicLong();
  private volatile boolean dirtySinceRefresh;

  private DayIndex(LocalDate day, Path dir, FSDirectory directory, IndexWriter writer, SnapshotDeletionPolicy snapshots,
      FieldSchema schema, DocumentMapper.Layout layout, long committedMaxSeq) throws IOException {
    this.day = day;
    this.layout = layout;
    this.dir = dir;
    this.directory = directory;
    this.writer = writer;
    this.snapshots = snapshots;
    this.schema = schema;
    this.committedMaxSeq = committedMaxSeq;
    this.maxSeq.set(committedMaxSeq);
    this.searchers = new SearcherManager(writer, new SearcherFactory());
  }

  static DayIndex open(LocalDate day, Path dir, Analyzer analyzer, FieldSchema.Limits limits) throws IOException {
    FSDirectory directory = FSDirectory.open(dir);
    try {
      long committed = 0;
      Map<String, String> userData = Map.of();
      DocumentMapper.Layout layout = DocumentMapper.Layout.INSERTION_ORDER;
      if (DirectoryReader.indexExists(directory)) {
        SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
        userData = infos.getUserData();
        committed = Long.parseLong(userData.getOrDefault(MAX_SEQ, "0"));
        for (SegmentCommitInfo segment : infos) {
          if (segment.info.getIndexSort() != null) {
            layout = DocumentMapper.Layout.SORTED_NEWEST_FIRST;
          }
        }
      }
      FieldSchema schema = FieldSchema.restore(schemaEntries(userData), limits);
      SnapshotDeletionPolicy snapshots = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
      IndexWriterConfig cfg =
          new IndexWriterConfig(analyzer)
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
              .setRAMBufferSizeMB(64)
              .setMergeScheduler(new BackgroundMergeScheduler())
              .setIndexDeletionPolicy(snapshots)
              .setCommitOnClose(false);
      if (layout == DocumentMapper.Layout.SORTED_NEWEST_FIRST) {
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setSegmentsPerTier(8);
        cfg.setIndexSort(DocumentMapper.indexSort()).setMergePolicy(merges);
      } else {
        LogByteSizeMergePolicy merges = new LogByteSizeMergePolicy();
        merges.setMergeFactor(MERGE_FACTOR);
        merges.setMaxMergeMB(MAX_MERGE_INPUT_MB);
        cfg.setMergePolicy(merges);
      }
      IndexWriter writer = new IndexWriter(directory, cfg);
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        // Guards against a schema snapshot older than the segments: Lucene's own field
        // infos say what each field really is.
        schema.reconcile(FieldInfos.getMergedFieldInfos(reader));
      }
      return new DayIndex(day, dir, directory, writer, snapshots, schema, layout, committed);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  private static Map<String, String> schemaEntries(Map<String, String> userData) {
    Map<String, String> out = new HashMap<>();
    userData.forEach((k, v) -> {
      if (k.startsWith(SCHEMA_PREFIX)) {
        out.put(k.substring(SCHEMA_PREFIX.length()), v);
      }
    });
    return out;
  }

  /** How this day's segments are merged. */
  MergePolicy mergePolicy() {
    return writer.getConfig().getMergePolicy();
  }

  /** The highest seq of this day that is in a durable commit. */
  long committedMaxSeq() {
    return committedMaxSeq;
  }

  /** Adds one event's document; safe from several indexing threads at once. */
  void add(Iterable<? extends IndexableField> doc, long seq) throws IOException {
    writer.addDocument(doc);
    maxSeq.accumulateAndGet(seq, Math::max);
    dirtySinceRefresh = true;
  }

  /** Deletes the documents matching {@code query}; visible after the next refresh. */
  void delete(Query query) throws IOException {
    writer.deleteDocuments(query);
    dirtySinceRefresh = true;
  }

  boolean hasUncommitted() {
    return maxSeq.get() > committedMaxSeq || writer.hasUncommittedChanges();
  }

  /** Commits what was added, with {@code maxSeq} and the schema in the commit's user data. */
  void commit() throws IOException {
    if (!hasUncommitted()) {
      return;
    }
    long seq = maxSeq.get();
    Map<String, String> data = new HashMap<>();
    data.put(MAX_SEQ, Long.toString(seq));
    schema.snapshot().forEach((k, v) -> data.put(SCHEMA_PREFIX + k, v));
    writer.setLiveCommitData(data.entrySet());
    writer.commit();
    committedMaxSeq = seq;
  }

  /**
   * Pins the last commit's files until {@link #release}; empty when the day has no commit yet
   * (then it has no documents either: the caller commits first).
   */
  Optional<IndexCommit> snapshot() throws IOException {
    try {
      return Optional.of(snapshots.snapshot());
    } catch (IllegalStateException noCommit) {
      return Optional.empty();
    }
  }

  /**
   * Copies the files of a pinned commit into {@code target} (created; must hold no index) and
   * fsyncs them; the segments file goes last, so a half-done copy is never a valid index.
   */
  static void copy(IndexCommit commit, Path target) throws IOException {
    List<String> files = new ArrayList<>(commit.getFileNames());
    files.remove(commit.getSegmentsFileName());
    files.add(commit.getSegmentsFileName());
    try (FSDirectory out = FSDirectory.open(target)) {
      for (String f : files) {
        out.copyFrom(commit.getDirectory(), f, f, IOContext.DEFAULT);
      }
      out.sync(files);
      out.syncMetaData();
    }
  }

  /** Unpins a commit from {@link #snapshot}; its files go once no commit needs them. */
  void release(IndexCommit commit) throws IOException {
    snapshots.release(commit);
    try {
      writer.deleteUnusedFiles();
    } catch (AlreadyClosedException closed) {
      // dropped or rebuilt meanwhile: its directory is gone or rewritten anyway
    }
  }

  /** Makes recent additions searchable; cheap when nothing changed. */
  void refresh() throws IOException {
    if (dirtySinceRefresh) {
      dirtySinceRefresh = false;
      searchers.maybeRefresh();
    }
  }

  /** Blocks until everything added so far is searchable. */
  void refreshBlocking() throws IOException {
    dirtySinceRefresh = false;
    searchers.maybeRefreshBlocking();
  }

  IndexSearcher acquire() throws IOException {
    return searchers.acquire();
  }

  void release(IndexSearcher searcher) throws IOException {
    searchers.release(searcher);
  }

  /** Closes without committing: what is not committed is replayed from {@code pending}. */
  @Override
  public void close() throws IOException {
    try {
      searchers.close();
    } finally {
      try {
        writer.rollback();
      } finally {
        directory.close();
      }
    }
  }
}
