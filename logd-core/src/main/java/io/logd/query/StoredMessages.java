package io.logd.query;

import io.logd.event.EventId;
import io.logd.event.StoredEvent;
import io.logd.index.DocumentMapper;
import io.logd.store.EventStore;
import java.io.IOException;
import java.util.Optional;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedNumericDocValues;

/** Messages read from the {@link EventStore} by the key each document holds in doc values. */
final class StoredMessages implements MessageSource {
  private final EventStore store;

  StoredMessages(EventStore store) {
    this.store = store;
  }

  @Override
  public Leaf forLeaf(LeafReaderContext context) throws IOException {
    LeafReader reader = context.reader();
    SortedNumericDocValues tenants = DocValues.getSortedNumeric(reader, DocumentMapper.TENANT);
    NumericDocValues times = DocValues.getNumeric(reader, DocumentMapper.TIME);
    NumericDocValues seqs = DocValues.getNumeric(reader, DocumentMapper.SEQ);
    return doc -> {
      if (!tenants.advanceExact(doc) || !times.advanceExact(doc) || !seqs.advanceExact(doc)) {
        return null;
      }
      Optional<StoredEvent> stored =
          store.get((int) tenants.nextValue(), new EventId(times.longValue(), seqs.longValue()));
      return stored.map(e -> e.event().message()).orElse(null);
    };
  }
}
