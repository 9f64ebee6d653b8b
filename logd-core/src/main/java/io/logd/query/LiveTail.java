package io.logd.query;

import io.logd.event.EventId;
import io.logd.event.StoredEvent;
import io.logd.index.DocumentMapper;
import io.logd.index.FieldSchema;
import io.logd.index.LogAnalyzer;
import io.logd.ingest.IngestPipeline;
import io.logd.store.CommitGroup;
import java.io.Closeable;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.memory.MemoryIndex;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;

/**
 * Live tail: hands newly committed events to subscribers whose query they match.
 *
 * <p>The ingest writer only enqueues each commit group (and only while someone listens); one
 * dispatcher thread evaluates every subscriber's query per event with a Lucene {@link MemoryIndex}
 * built from the same document the day index gets, so tail and search agree. Each subscriber has a
 * bounded buffer: when it is full, events for that subscriber are dropped and counted, and neither
 * ingest nor other subscribers slow down.
 */
public final class LiveTail implements IngestPipeline.CommitListener, Closeable {
  private static final System.Logger LOG = System.getLogger(LiveTail.class.getName());

  private final BlockingQueue<CommitGroup> groups;
  private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong droppedGroups = new AtomicLong();
  private final AtomicLong droppedEvents = new AtomicLong();
  private final Thread dispatcher;
  private final LogAnalyzer analyzer = new LogAnalyzer();
  private volatile boolean closed;

  /** @param maxPendingGroups commit groups waiting for the dispatcher before new ones are dropped */
  public LiveTail(int maxPendingGroups) {
    this.groups = new ArrayBlockingQueue<>(maxPendingGroups);
    this.dispatcher = Thread.ofPlatform().name("logd-tail").daemon().start(this::dispatch);
  }

  /**
   * Follows one tenant's new events that match {@code q} (blank for all).
   *
   * @param buffer events kept for a subscriber that reads slower than they arrive
   */
  public Subscription subscribe(int tenant, String q, int buffer) throws QuerySyntaxException {
    Subscription s = new Subscription(tenant, q, buffer);
    subscribers.add(s);
    return s;
  }

  @Override
  public void onCommit(CommitGroup group) {
    if (subscribers.isEmpty() || closed) {
      return;
    }
    if (!groups.offer(group)) {
      droppedGroups.incrementAndGet(); // the dispatcher is behind; never make the writer wait
    }
  }

  /** Commit groups dropped because the dispatcher was behind. */
  public long droppedGroups() {
    return droppedGroups.get();
  }

  /** Events all subscribers, closed ones too, missed because their buffers were full (or their filter failed). */
  public long droppedEvents() {
    return droppedEvents.get();
  }

  public int subscriberCount() {
    return subscribers.size();
  }

  private void dispatch() {
    while (!closed) {
      CommitGroup g;
      try {
        g = groups.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (g == null) {
        continue;
      }
      for (int i = 0; i < g.size(); i++) {
        StoredEvent e = null;
        for (Subscription s : subscribers) {
          if (s.tenant != g.tenant(i)) {
            continue;
          }
          if (e == null) {
            e = new StoredEvent(g.tenant(i), new EventId(g.timeNanos(i), g.seq(i)), g.event(i));
          }
          try {
            if (s.matches(e)) {
              s.deliver(e);
            }
          } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "tail filter failed; dropping the event for that subscriber", ex);
            s.drop();
          }
        }
      }
    }
  }

  /** One follower. Not thread-safe for readers: one thread polls it. Close it to stop. */
  public final class Subscription implements AutoCloseable {
    private final int tenant;
    private final String q;
    private final BlockingQueue<StoredEvent> buffer;
    private final AtomicLong dropped = new AtomicLong();
    // Used by the dispatcher thread only.
    private final FieldSchema schema = new FieldSchema(FieldSchema.Limits.DEFAULTS);
    private final DocumentMapper mapper = new DocumentMapper();
    private final LogQueryParser parser = new LogQueryParser();
    private Query query;
    private int queryForSchemaSize = -1;

    private Subscription(int tenant, String q, int capacity) throws QuerySyntaxException {
      this.tenant = tenant;
      this.q = q == null || q.isBlank() ? null : q;
      this.buffer = new ArrayBlockingQueue<>(Math.max(1, capacity));
      parser.parse(this.q, FieldSchema.empty()); // fail now, not on the first event
    }

    private boolean matches(StoredEvent e) {
      if (q == null) {
        return true;
      }
      var doc = mapper.map(e.tenant(), e.id(), e.event(), schema);
      if (schema.size() != queryForSchemaSize) {
        // Field types come from the events seen so far; re-type the query when they grow.
        try {
          query = parser.parse(q, schema);
        } catch (QuerySyntaxException impossible) {
          query = new MatchAllDocsQuery(); // it parsed at subscribe time
        }
        queryForSchemaSize = schema.size();
      }
      MemoryIndex index = MemoryIndex.fromDocument(doc, analyzer);
      return index.search(query) > 0;
    }

    private void deliver(StoredEvent e) {
      if (!buffer.offer(e)) {
        drop();
      }
    }

    private void drop() {
      droppedEvents.incrementAndGet(); // first, so the total is never below a subscriber's count
      dropped.incrementAndGet();
    }

    /** The next event, waiting up to {@code timeout}; null when none came. */
    public StoredEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
      return buffer.poll(timeout, unit);
    }

    /** Events this subscriber missed because its buffer was full. */
    public long dropped() {
      return dropped.get();
    }

    @Override
    public void close() {
      subscribers.remove(this);
    }
  }

  @Override
  public void close() {
    closed = true;
    dispatcher.interrupt();
  }
}
