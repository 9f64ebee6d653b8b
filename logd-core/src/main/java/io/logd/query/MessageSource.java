package io.logd.query;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;

/**
 * Reads indexed events' messages back from the store, for the checks the index cannot answer
 * alone (see {@link VerifiedPatternQuery}).
 */
interface MessageSource {
  /** The messages of one segment's documents; not thread-safe, one per scorer. */
  Leaf forLeaf(LeafReaderContext leaf) throws IOException;

  /** Messages of one segment. */
  interface Leaf {
    /**
     * The message of {@code doc}, asked for in increasing doc id order; null when the event is no
     * longer stored (dropped by retention or a delete since the reader opened).
     */
    String message(int doc) throws IOException;
  }
}
