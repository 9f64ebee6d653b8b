package io.logd.store;

import io.logd.event.EventId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Key layouts of the column families. All integers are big-endian so that byte order is numeric
 * order (times and seqs are never negative).
 *
 * <ul>
 *   <li>{@code events}: {@code tenant(4) | time ns(8) | seq(8)}
 *   <li>{@code pending}: {@code first seq of a commit group(8)} → the group's event keys, concatenated
 *   <li>{@code rollups}: {@code tenant(4) | tier(1) | section(1) | bucket start, epoch minute(8)} →
 *       that section of the bucket's aggregate (see {@code io.logd.rollup})
 *   <li>{@code meta}: UTF-8 names such as {@code seq} and {@code checkpoint/index}
 * </ul>
 */
public final class Keys {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Length of an {@code events} key. */
  public static final int EVENT_KEY_LENGTH = 20;

  private Keys() {}

  public static byte[] eventKey(int tenant, long timeNanos, long seq) {
    byte[] key = new byte[EVENT_KEY_LENGTH];
    writeEventKey(key, 0, tenant, timeNanos, seq);
    return key;
  }

  public static byte[] eventKey(int tenant, EventId id) {
    return eventKey(tenant, id.timeNanos(), id.seq());
  }

  /** Writes an events key into {@code dst} at {@code offset}, without allocating. */
  public static void writeEventKey(byte[] dst, int offset, int tenant, long timeNanos, long seq) {
    putInt(dst, offset, tenant);
    putLong(dst, offset + 4, timeNanos);
    putLong(dst, offset + 12, seq);
  }

  /** The smallest events key of a tenant at or after {@code timeNanos}. */
  public static byte[] eventLowerBound(int tenant, long timeNanos) {
    return eventKey(tenant, timeNanos, 0);
  }

  /** The first key past every event of {@code tenant}: the start of the next tenant. */
  public static byte[] tenantUpperBound(int tenant) {
    byte[] key = new byte[4];
    putInt(key, 0, tenant + 1);
    return key;
  }

  public static byte[] tenantPrefix(int tenant) {
    byte[] key = new byte[4];
    putInt(key, 0, tenant);
    return key;
  }

  public static int tenantOf(byte[] eventKey) {
    return getInt(eventKey, 0);
  }

  public static long timeOf(byte[] eventKey) {
    return getLong(eventKey, 4);
  }

  public static long seqOf(byte[] eventKey) {
    return getLong(eventKey, 12);
  }

  public static EventId idOf(byte[] eventKey) {
    return new EventId(timeOf(eventKey), seqOf(eventKey));
  }

  public static byte[] seqKey(long seq) {
    byte[] key = new byte[8];
    putLong(key, 0, seq);
    return key;
  }

  /** Length of a {@code rollups} key. */
  public static final int ROLLUP_KEY_LENGTH = 14;

  /**
   * A {@code rollups} key. Section sits before time so that one section of one tier over a time
   * range is one contiguous scan.
   */
  public static byte[] rollupKey(int tenant, int tier, int section, long epochMinute) {
    byte[] key = new byte[ROLLUP_KEY_LENGTH];
    putInt(key, 0, tenant);
    key[4] = (byte) tier;
    key[5] = (byte) section;
    putLong(key, 6, epochMinute);
    return key;
  }

  /** The bucket start (epoch minute) of a {@code rollups} key. */
  public static long rollupMinuteOf(byte[] rollupKey) {
    return getLong(rollupKey, 6);
  }

  public static void putInt(byte[] dst, int offset, int v) {
    INT.set(dst, offset, v);
  }

  public static void putLong(byte[] dst, int offset, long v) {
    LONG.set(dst, offset, v);
  }

  public static int getInt(byte[] src, int offset) {
    return (int) INT.get(src, offset);
  }

  public static long getLong(byte[] src, int offset) {
    return (long) LONG.get(src, offset);
  }
}
