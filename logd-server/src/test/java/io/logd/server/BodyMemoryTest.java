package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admission of request bodies against the server-wide budget. */
class BodyMemoryTest {
  private final List<String> admitted = new ArrayList<>();

  private BodyMemory.Waiter waiter(String name) {
    return () -> admitted.add(name);
  }

  @Test
  void bodiesAreAdmittedWhileTheyFitAndWaitInOrderAfterwards() {
    BodyMemory m = new BodyMemory(100);
    assertTrue(m.reserve(60, waiter("a")));
    assertTrue(m.reserve(40, waiter("b")));
    assertFalse(m.reserve(10, waiter("c")));
    assertFalse(m.reserve(1, waiter("d")), "a small body queues behind an earlier waiter rather than overtaking it");
    assertEquals(2, m.waits());
    m.release(40);
    assertEquals(List.of("c", "d"), admitted);
    assertEquals(71, m.reserved());
  }

  @Test
  void aBodyLargerThanTheBudgetIsAdmittedWhenNothingElseIsReserved() {
    BodyMemory m = new BodyMemory(100);
    assertTrue(m.reserve(10, waiter("a")));
    assertFalse(m.reserve(500, waiter("big")));
    m.release(10);
    assertEquals(List.of("big"), admitted);
    assertEquals(500, m.reserved());
  }

  @Test
  void aCancelledWaiterIsNeverAdmitted() {
    BodyMemory m = new BodyMemory(100);
    BodyMemory.Waiter gone = waiter("gone");
    assertTrue(m.reserve(100, waiter("a")));
    assertFalse(m.reserve(50, gone));
    assertTrue(m.cancel(gone));
    assertFalse(m.cancel(gone), "cancelled once");
    m.release(100);
    assertEquals(List.of(), admitted);
    assertEquals(0, m.reserved());
  }
}
