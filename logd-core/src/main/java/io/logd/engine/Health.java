package io.logd.engine;

/**
 * The engine's health at one moment.
 *
 * @param storeOk the store answers reads and the writer is running
 * @param indexOk the indexer is running and its last batch succeeded
 * @param rollupsOk the rollup worker is running and its last flush succeeded (true when rollups
 *     are off)
 * @param diskFreeBytes usable bytes on the data directory's volume
 * @param diskLow free space is below {@code storage.min_free_disk}, so ingest is refused
 */
public record Health(boolean storeOk, boolean indexOk, boolean rollupsOk, long diskFreeBytes, boolean diskLow) {
  public boolean ok() {
    return storeOk && indexOk && rollupsOk && !diskLow;
  }
}
