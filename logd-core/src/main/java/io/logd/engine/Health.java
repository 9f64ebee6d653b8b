package io.logd.engine;

/**
 * The engine's health at one moment.
 *
 * @param storeOk the store answers reads and the writer is running
 * @param diskFreeBytes usable bytes on the data directory's volume
 * @param diskLow free space is below {@code storage.min_free_disk}, so ingest is refused
 */
public record Health(boolean storeOk, long diskFreeBytes, boolean diskLow) {
  public boolean ok() {
    return storeOk && !diskLow;
  }
}
