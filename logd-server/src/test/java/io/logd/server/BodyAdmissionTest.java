package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One connection's body reservations, on Netty's embedded channel. */
class BodyAdmissionTest {
  private final BodyMemory memory = new BodyMemory(1000);

  private BodyAdmission admission;

  private EmbeddedChannel channel(long stallMillis) {
    admission = new BodyAdmission(memory, 10_000);
    admission.stallTimeout(TimeUnit.MILLISECONDS.toNanos(stallMillis));
    return new EmbeddedChannel(admission);
  }

  private static HttpRequest post(int contentLength) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/logs/bulk");
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
    return r;
  }

  private static HttpContent chunk(int bytes, boolean last) {
    return last ? new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[bytes]))
        : new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes]));
  }

  private static void answer(EmbeddedChannel ch) {
    ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    ReferenceCountUtil.release(ch.readOutbound());
  }

  @Test
  void aBodyIsReservedUntilItsAnswerIsWritten() {
    EmbeddedChannel ch = channel(60_000);
    ch.writeInbound(post(600), chunk(600, true));
    assertEquals(600, memory.reserved());
    assertInstanceOf(HttpRequest.class, ch.readInbound());
    ReferenceCountUtil.release(ch.readInbound());
    answer(ch);
    assertEquals(0, memory.reserved());
    ch.finishAndReleaseAll();
  }

  @Test
  void aRequestThatDoesNotFitWaitsUnreadAndGoesOnWhenMemoryFrees() {
    assertTrue(memory.reserve(800, () -> {}));
    EmbeddedChannel ch = channel(60_000);
    ch.writeInbound(post(500), chunk(500, true));
    assertNull(ch.readInbound(), "held back");
    assertFalse(ch.config().isAutoRead(), "and the connection stops reading");
    memory.release(800);
    ch.runPendingTasks();
    assertInstanceOf(HttpRequest.class, ch.readInbound());
    ReferenceCountUtil.release(ch.readInbound());
    assertTrue(ch.config().isAutoRead());
    assertEquals(500, memory.reserved());
    answer(ch);
    assertEquals(0, memory.reserved());
    ch.finishAndReleaseAll();
  }

  /**
   * A request answered from its head ({@link HeadCheck.Answered}) behind one that waits for memory
   * stays behind it, and its answer gives back nothing of the other's reservation.
   */
  @Test
  void aRequestAnsweredFromItsHeadKeepsItsPlaceAndItsAnswerFreesNothingElse() {
    assertTrue(memory.reserve(800, () -> {}));
    EmbeddedChannel ch = channel(60_000);
    HeadCheck.Answered early = new HeadCheck.Answered(
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED), true);
    ch.writeInbound(post(500), chunk(500, true), early);
    assertNull(ch.readInbound(), "both wait behind the body that does not fit");
    memory.release(800);
    ch.runPendingTasks();
    assertInstanceOf(HttpRequest.class, ch.readInbound());
    ReferenceCountUtil.release(ch.readInbound());
    Object second = ch.readInbound();
    assertTrue(second == early, "then the early answer, in request order: " + second);
    answer(ch); // the first request's answer
    assertEquals(0, memory.reserved());
    ch.writeInbound(post(300), chunk(300, true));
    assertEquals(300, memory.reserved());
    answer(ch); // the early answer: it held nothing, so the new body keeps its reservation
    assertEquals(300, memory.reserved());
    answer(ch);
    assertEquals(0, memory.reserved());
    early.response().release();
    ch.finishAndReleaseAll();
  }

  /**
   * A gzip body reserves its size as sent; what it inflates to past that (as the aggregator gets
   * it) grows the reservation, up to the body limit, and later requests wait for the grown one.
   */
  @Test
  void aBodyThatInflatesPastItsReservationGrowsItAndLaterRequestsWait() {
    EmbeddedChannel ch = channel(60_000);
    BodyAdmission first = admission;
    ch.writeInbound(post(100), chunk(100, true));
    assertEquals(100, memory.reserved());
    first.counted(80);
    assertEquals(100, memory.reserved(), "within what was reserved");
    first.counted(800);
    assertEquals(880, memory.reserved(), "grown to what the aggregator holds");
    EmbeddedChannel other = channel(60_000);
    other.writeInbound(post(200), chunk(200, true));
    assertNull(other.readInbound(), "880 + 200 is past the budget of 1000: the other connection waits");
    first.counted(20_000);
    assertEquals(10_000, memory.reserved(), "never past the body limit, where the aggregator refuses");
    ReferenceCountUtil.release(ch.readInbound());
    ReferenceCountUtil.release(ch.readInbound());
    answer(ch);
    other.runPendingTasks();
    assertInstanceOf(HttpRequest.class, other.readInbound(), "admitted once the grown reservation is back");
    ReferenceCountUtil.release(other.readInbound());
    assertEquals(200, memory.reserved());
    answer(other);
    assertEquals(0, memory.reserved());
    ch.finishAndReleaseAll();
    other.finishAndReleaseAll();
  }

  @Test
  void aBodyOverTheLimitReservesNothingAsItIsDropped() {
    EmbeddedChannel ch = channel(60_000);
    ch.writeInbound(post(20_000), chunk(100, false));
    admission.counted(100);
    assertEquals(0, memory.reserved(), "the aggregator drops it: nothing to hold");
    ch.finishAndReleaseAll();
  }

  @Test
  void aStalledBodyClosesItsConnectionAndGivesItsMemoryBack() throws Exception {
    EmbeddedChannel ch = channel(100);
    ch.freezeTime(); // the stall timeout runs by the channel's clock, moved by hand
    ch.writeInbound(post(600), chunk(100, false));
    assertEquals(600, memory.reserved());
    for (int i = 0; i < 4; i++) { // bytes keep coming: no stall
      ch.advanceTimeBy(50, TimeUnit.MILLISECONDS);
      ch.writeInbound(chunk(100, false));
      ch.runScheduledPendingTasks();
      assertTrue(ch.isOpen());
    }
    ch.advanceTimeBy(150, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertFalse(ch.isOpen(), "no byte for longer than the stall timeout");
    assertEquals(0, memory.reserved());
    ch.finishAndReleaseAll();
  }

  @Test
  void aConnectionClosedWhileWaitingReservesNothing() {
    assertTrue(memory.reserve(800, () -> {}));
    EmbeddedChannel ch = channel(60_000);
    ch.writeInbound(post(500), chunk(10, false));
    ch.close();
    memory.release(800);
    ch.runPendingTasks();
    assertEquals(0, memory.reserved());
    ch.finishAndReleaseAll();
  }
}
