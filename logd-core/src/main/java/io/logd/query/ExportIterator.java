package io.logd.query;

import io.logd.event.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams every match of a query in time order, one page of {@link #PAGE} events at a time,
 * following cursors: memory stays constant and the stream is stable under concurrent ingest.
 */
public final class ExportIterator implements Iterator<StoredEvent> {
  static final int PAGE = 1000;

  private final Searcher searcher;
  private final int tenant;
  private final String q;
  private final TimeRange range;
  private final boolean newestFirst;
  private List<StoredEvent> page = List.of();
  private int pos;
  private Cursor next;
  private boolean started;
  private boolean done;

  ExportIterator(Searcher searcher, int tenant, String q, TimeRange range, boolean newestFirst) {
    this.searcher = searcher;
    this.tenant = tenant;
    this.q = q;
    this.range = range;
    this.newestFirst = newestFirst;
  }

  @Override
  public boolean hasNext() {
    while (pos >= page.size()) {
      if (done || (started && next == null)) {
        done = true;
        return false;
      }
      try {
        Searcher.Page p = searcher.search(new Searcher.Request(tenant, q, range, PAGE, next, newestFirst));
        started = true;
        page = p.events();
        pos = 0;
        next = p.next();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (QuerySyntaxException e) {
        throw new IllegalStateException(e); // validated when the iterator was made
      }
    }
    return true;
  }

  @Override
  public StoredEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.get(pos++);
  }
}
