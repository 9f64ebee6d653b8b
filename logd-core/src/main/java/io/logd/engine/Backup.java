package io.logd.engine;

import java.nio.file.Path;

/**
 * A finished {@link Logd#backup}: a directory that opens as a data directory.
 *
 * @param dir the absolute backup directory
 * @param bytes the size of its files (hard-linked store files count in full)
 */
public record Backup(Path dir, long bytes) {}
