package io.logd.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One per connection, between the HTTP codec and the body aggregator: reserves each request's body
 * in the server-wide {@link BodyMemory} before the body is read, and gives it back when the answer
 * has been written. A request that does not fit waits with the connection paused
 * ({@link ReadPauses#BODY_MEMORY}); what the codec had already decoded is held here meanwhile.
 *
 * <p>A body is reserved as its {@code Content-Length} (as sent); one sent chunked as {@link
 * #CHUNKED_ESTIMATE}. While it is read, the reservation grows to what the aggregator really holds
 * once gzip is inflated ({@link #counted}), so later requests wait for that. A body over the size
 * limit counts nothing, as the aggregator refuses it unread. An admitted body that makes no
 * progress for {@link #BODY_STALL_SECONDS} closes its connection, so a stalled or hostile client
 * cannot keep the memory from everyone else. Event-loop only.
 */
final class BodyAdmission extends ChannelDuplexHandler {
  /** What a chunked body of unknown length reserves. */
  static final long CHUNKED_ESTIMATE = 1 << 20;
  /** How long an admitted body may go without a byte before its connection is closed. */
  static final long BODY_STALL_SECONDS = 30;
  private static final System.Logger LOG = System.getLogger(BodyAdmission.class.getName());

  private final BodyMemory memory;
  private final long maxBodyBytes;
  /** Reservations of the requests read and not yet answered, oldest first. */
  private final ArrayDeque<Long> reserved = new ArrayDeque<>();
  /** Messages decoded while the request at their head waits for memory; null when none waits. */
  private ArrayDeque<Object> held;
  private BodyMemory.Waiter waiter;
  private boolean closed;
  /** An admitted body is still arriving; {@link #lastProgress} is when its last bytes came. */
  private boolean bodyArriving;
  private long lastProgress;
  /** Bytes of the newest admitted body as the aggregator gets them (after gzip is inflated). */
  private long bodySoFar;
  /** The newest admitted body reserved memory, so its growth counts (not one refused as too large). */
  private boolean counting;
  /** A stall check is scheduled; one at a time per connection, however many bodies come. */
  private boolean stallCheckScheduled;
  private long stallTimeoutNanos = TimeUnit.SECONDS.toNanos(BODY_STALL_SECONDS);

  BodyAdmission(BodyMemory memory, long maxBodyBytes) {
    this.memory = memory;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (held != null) {
      held.add(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      long bytes = bodyBytes(request);
      if (bytes > 0) {
        waiter = () -> admittedLater(ctx, bytes);
        if (!memory.reserve(bytes, waiter)) {
          held = new ArrayDeque<>();
          held.add(msg);
          ReadPauses.pause(ctx.channel(), ReadPauses.BODY_MEMORY);
          return;
        }
        waiter = null;
      }
      reserved.add(bytes);
      bodySoFar = 0;
      counting = bytes > 0;
      if (bytes > 0) {
        bodyStarts(ctx);
      }
    } else if (msg instanceof HeadCheck.Answered) {
      reserved.add(0L); // a request answered from its head: its answer passes here like any other
      counting = false;
    } else if (bodyArriving && msg instanceof HttpContent) {
      lastProgress = ctx.executor().ticker().nanoTime();
      bodyArriving = !(msg instanceof LastHttpContent);
    }
    ctx.fireChannelRead(msg);
  }

  /** Watches the body just admitted for stalls. */
  private void bodyStarts(ChannelHandlerContext ctx) {
    bodyArriving = true;
    // the event loop's clock, the one its scheduled checks run by
    lastProgress = ctx.executor().ticker().nanoTime();
    if (!stallCheckScheduled) {
      stallCheckScheduled = true;
      ctx.executor().schedule(() -> checkStall(ctx), stallTimeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void checkStall(ChannelHandlerContext ctx) {
    stallCheckScheduled = false;
    if (closed || !bodyArriving) {
      return;
    }
    long idle = ctx.executor().ticker().nanoTime() - lastProgress;
    if (idle >= stallTimeoutNanos) {
      LOG.log(System.Logger.Level.WARNING, "closing {0}: its request body sent nothing for {1} s",
          ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toSeconds(idle));
      ctx.close();
    } else {
      stallCheckScheduled = true;
      ctx.executor().schedule(() -> checkStall(ctx), stallTimeoutNanos - idle, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Counts {@code bytes} more of the newest admitted body as the aggregator will hold them, after
   * gzip is inflated ({@link InflatedBodies} calls this): past what the body reserved, the
   * reservation grows to match, so an inflating or long chunked body counts what it really takes.
   * Nothing grows past {@code maxBodyBytes}, where the aggregator refuses the body and drops it.
   */
  void counted(long bytes) {
    if (!counting || closed || reserved.isEmpty()) {
      return;
    }
    long before = bodySoFar;
    bodySoFar = Math.min(maxBodyBytes, bodySoFar + bytes);
    long reservation = reserved.peekLast();
    if (bodySoFar > reservation && bodySoFar > before) {
      long extra = bodySoFar - Math.max(before, reservation);
      memory.grow(extra);
      reserved.pollLast();
      reserved.addLast(reservation + extra);
    }
  }

  /** For tests: a shorter stall timeout. */
  void stallTimeout(long nanos) {
    stallTimeoutNanos = nanos;
  }

  private long bodyBytes(HttpRequest request) {
    if (request instanceof FullHttpMessage || request.decoderResult().isFailure()) {
      return 0; // decoded whole already, or answered 400 unread: nothing to hold back
    }
    long length;
    try {
      length = HttpUtil.getContentLength(request, -1L);
    } catch (NumberFormatException e) {
      return 0; // the aggregator and the API answer it as malformed
    }
    if (length < 0) {
      return HttpUtil.isTransferEncodingChunked(request) ? CHUNKED_ESTIMATE : 0;
    }
    return length > maxBodyBytes ? 0 : length;
  }

  private void admittedLater(ChannelHandlerContext ctx, long bytes) {
    try {
      ctx.executor().execute(() -> admitted(ctx, bytes));
    } catch (RejectedExecutionException shutDown) {
      memory.release(bytes); // the event loop is gone, and the connection with it
    }
  }

  private void admitted(ChannelHandlerContext ctx, long bytes) {
    waiter = null;
    if (closed) {
      memory.release(bytes);
      return;
    }
    reserved.add(bytes);
    bodySoFar = 0;
    counting = true;
    ArrayDeque<Object> replay = held;
    held = null;
    bodyStarts(ctx);
    ctx.fireChannelRead(replay.poll()); // the request that waited
    while (!replay.isEmpty()) {
      if (held != null) {
        held.add(replay.poll()); // a later request waits in turn, and what follows it
      } else {
        channelRead(ctx, replay.poll());
      }
    }
    if (held == null) {
      ReadPauses.resume(ctx.channel(), ReadPauses.BODY_MEMORY);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (endsAnAnswer(msg) && !reserved.isEmpty()) {
      long bytes = reserved.poll();
      if (bytes > 0) {
        memory.release(bytes);
      }
    }
    ctx.write(msg, promise);
  }

  /** A whole answer, or the last chunk of a streamed one; not an interim {@code 100 Continue}. */
  private static boolean endsAnAnswer(Object msg) {
    if (msg instanceof HttpResponse response) {
      return msg instanceof FullHttpMessage
          && response.status().codeClass() != HttpResponseStatus.CONTINUE.codeClass();
    }
    return msg instanceof LastHttpContent;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    giveBack();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    giveBack();
  }

  private void giveBack() {
    if (closed) {
      return;
    }
    closed = true;
    long bytes = 0;
    while (!reserved.isEmpty()) {
      bytes += reserved.poll();
    }
    if (bytes > 0) {
      memory.release(bytes);
    }
    if (waiter != null) {
      memory.cancel(waiter); // if it was admitted already, admitted() sees closed and gives it back
    }
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held = null;
    }
  }
}
