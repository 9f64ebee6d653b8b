package io.logd.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.EventId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeysTest {
  record Parts(int tenant, long time, long seq) {}

  private static final Comparator<Parts> NUMERIC =
      Comparator.comparingInt(Parts::tenant).thenComparingLong(Parts::time).thenComparingLong(Parts::seq);

  @Test
  void byteOrderIsTenantThenTimeThenSeq() {
    long seed = System.nanoTime();
    System.out.println("KeysTest.byteOrderIsTenantThenTimeThenSeq seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Parts> parts = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      // Mix extremes in: byte-boundary values are where signed/unsigned mistakes show.
      long time = switch (rnd.nextInt(4)) {
        case 0 -> rnd.nextLong(0, 300);
        case 1 -> Long.MAX_VALUE - rnd.nextLong(300);
        case 2 -> 1L << rnd.nextInt(63);
        default -> rnd.nextLong(0, Long.MAX_VALUE);
      };
      parts.add(new Parts(rnd.nextInt(0, 4) * 127, time, rnd.nextLong(0, Long.MAX_VALUE)));
    }
    List<Parts> byBytes = new ArrayList<>(parts);
    byBytes.sort((a, b) -> Arrays.compareUnsigned(
        Keys.eventKey(a.tenant, a.time, a.seq), Keys.eventKey(b.tenant, b.time, b.seq)));
    List<Parts> byNumbers = new ArrayList<>(parts);
    byNumbers.sort(NUMERIC);
    assertEquals(byNumbers, byBytes, "seed " + seed);
  }

  @Test
  void keyFieldsReadBack() {
    byte[] key = Keys.eventKey(7, 1_795_000_000_123_456_789L, 42);
    assertEquals(20, key.length);
    assertEquals(7, Keys.tenantOf(key));
    assertEquals(1_795_000_000_123_456_789L, Keys.timeOf(key));
    assertEquals(42, Keys.seqOf(key));
    assertEquals(new EventId(1_795_000_000_123_456_789L, 42), Keys.idOf(key));
  }

  @Test
  void tenantBoundsEncloseExactlyThatTenant() {
    byte[] last = Keys.eventKey(5, Long.MAX_VALUE, Long.MAX_VALUE);
    byte[] next = Keys.eventKey(6, 0, 0);
    assertTrue(Arrays.compareUnsigned(last, Keys.tenantUpperBound(5)) < 0);
    assertTrue(Arrays.compareUnsigned(next, Keys.tenantUpperBound(5)) >= 0);
    assertTrue(Arrays.compareUnsigned(Keys.tenantPrefix(5), Keys.eventKey(5, 0, 0)) <= 0);
  }

  @Test
  void rollupKeysOrderByTenantTierSectionThenMinute() {
    assertTrue(Arrays.compareUnsigned(Keys.rollupKey(1, 0, 0, 100), Keys.rollupKey(1, 0, 0, 101)) < 0);
    assertTrue(Arrays.compareUnsigned(Keys.rollupKey(1, 0, 0, Long.MAX_VALUE), Keys.rollupKey(1, 0, 1, 0)) < 0);
    assertTrue(Arrays.compareUnsigned(Keys.rollupKey(1, 0, 9, Long.MAX_VALUE), Keys.rollupKey(1, 1, 0, 0)) < 0);
    assertTrue(Arrays.compareUnsigned(Keys.rollupKey(1, 2, 9, Long.MAX_VALUE), Keys.rollupKey(2, 0, 0, 0)) < 0);
    assertEquals(12345, Keys.rollupMinuteOf(Keys.rollupKey(7, 1, 3, 12345)));
  }
}
