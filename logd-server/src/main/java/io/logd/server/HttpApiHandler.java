package io.logd.server;

import io.logd.server.JsonHttpObjectAggregator.OversizedRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.locks.LockSupport;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One per connection. Hands each request to {@link HttpApi}, which answers with a future (work that
 * may block runs off the event loop), and writes the answers back strictly in request order, as
 * HTTP/1.1 pipelining requires. Honours keep-alive: {@code Connection: close} or an HTTP/1.0 request
 * without keep-alive closes the connection after its answer.
 *
 * <p>All state is touched on the channel's event loop only.
 */
final class HttpApiHandler extends SimpleChannelInboundHandler<Object> {
  private static final System.Logger LOG = System.getLogger(HttpApiHandler.class.getName());

  /** Requests in flight on one connection before the handler stops reading from it. */
  static final int MAX_IN_FLIGHT = 64;

  private final HttpApi api;
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private boolean closing;
  /** A streamed answer is being sent: later answers wait for it, in order. */
  private boolean streaming;

  HttpApiHandler(HttpApi api) {
    this.api = api;
  }

  /** An answer to come, and how the request asked for it to be delivered. */
  private record Pending(
      CompletableFuture<FullHttpResponse> response, boolean keepAlive, boolean head, HttpVersion version) {}

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      return; // a request pipelined after one that closes the connection gets no answer
    }
    if (msg instanceof OversizedRequest tooLarge) {
      enqueue(ctx, new Pending(
          CompletableFuture.completedFuture(HttpResponses.tooLarge(tooLarge.maxBodyBytes())),
          !tooLarge.closeAfter(), false, HttpVersion.HTTP_1_1));
      return;
    }
    if (msg instanceof HeadCheck.Answered answered) {
      enqueue(ctx, new Pending(CompletableFuture.completedFuture(answered.response()), answered.keepAlive(), false,
          HttpVersion.HTTP_1_1));
      return;
    }
    if (!(msg instanceof FullHttpRequest request)) {
      LOG.log(System.Logger.Level.WARNING, "unexpected message on the HTTP pipeline: {0}", msg.getClass());
      return;
    }
    if (inFlight.isEmpty() && !streaming && isStreamUpgrade(request)) {
      FullHttpResponse refused = api.upgradeToStream(ctx, request);
      if (refused != null) {
        enqueue(ctx, new Pending(CompletableFuture.completedFuture(refused), false, false, HttpVersion.HTTP_1_1));
      }
      return;
    }
    if (request.decoderResult().isFailure()) {
      enqueue(ctx, new Pending(CompletableFuture.completedFuture(malformed(request.decoderResult().cause())),
          false, false, HttpVersion.HTTP_1_1));
      return;
    }
    CompletableFuture<FullHttpResponse> response;
    try {
      response = api.handle(request);
    } catch (RejectedExecutionException e) {
      response = CompletableFuture.completedFuture(api.rejected());
    } catch (RuntimeException e) {
      response = CompletableFuture.completedFuture(internalError(e));
    }
    enqueue(ctx, new Pending(response, HttpUtil.isKeepAlive(request),
        HttpMethod.HEAD.equals(request.method()), request.protocolVersion()));
  }

  private void enqueue(ChannelHandlerContext ctx, Pending pending) {
    inFlight.add(pending);
    if (inFlight.size() >= MAX_IN_FLIGHT) {
      ReadPauses.pause(ctx.channel(), ReadPauses.PIPELINE);
    }
    if (pending.response().isDone()) {
      drain(ctx);
    } else {
      pending.response().whenComplete((r, e) -> {
        try {
          ctx.executor().execute(() -> drain(ctx));
        } catch (RejectedExecutionException shutDown) {
          ReferenceCountUtil.release(r); // the event loop is gone; so is the connection
        }
      });
    }
  }

  /** Writes every finished answer at the head of the queue. */
  private void drain(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (!streaming && !inFlight.isEmpty() && inFlight.peek().response().isDone()) {
      Pending p = inFlight.poll();
      FullHttpResponse response = resultOf(p.response());
      if (closing) {
        response.release();
        continue;
      }
      if (response instanceof StreamedResponse streamed && !p.head()) {
        if (wrote) {
          ctx.flush();
        }
        startStream(ctx, streamed, p.keepAlive());
        return;
      }
      HttpUtil.setContentLength(response, response.content().readableBytes());
      if (p.head()) {
        FullHttpResponse headersOnly = response.replace(Unpooled.EMPTY_BUFFER);
        response.release();
        response = headersOnly;
      }
      if (!p.keepAlive()) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      } else if (p.version().equals(HttpVersion.HTTP_1_0)) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
      wrote = true;
      if (p.keepAlive()) {
        ctx.write(response, ctx.voidPromise());
      } else {
        closing = true;
        ctx.write(response).addListener(ChannelFutureListener.CLOSE);
      }
    }
    if (wrote) {
      ctx.flush();
    }
    if (!closing && inFlight.size() < MAX_IN_FLIGHT) {
      ReadPauses.resume(ctx.channel(), ReadPauses.PIPELINE);
    }
  }

  /**
   * Sends the head of a streamed answer, then runs its producer on a virtual thread. The producer
   * blocks (parks) while the channel is not writable; when it ends, the queue drains on.
   */
  private void startStream(ChannelHandlerContext ctx, StreamedResponse streamed, boolean keepAlive) {
    streaming = true;
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, streamed.status(), streamed.headers());
    streamed.release();
    HttpUtil.setTransferEncodingChunked(head, true);
    if (!keepAlive) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ctx.writeAndFlush(head);
    Channel channel = ctx.channel();
    Thread.ofVirtual().name("logd-http-stream").start(() -> {
      boolean ok = false;
      try {
        streamed.producer().produce(new StreamedResponse.Sink() {
          @Override
          public void write(byte[] chunk) throws IOException {
            while (!channel.isWritable()) {
              if (!channel.isActive()) {
                throw new IOException("the client went away");
              }
              LockSupport.parkNanos(1_000_000);
            }
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
          }

          @Override
          public boolean open() {
            return channel.isActive();
          }
        });
        ok = true;
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "streamed answer cut short: {0}", e.toString());
      }
      boolean finished = ok;
      if (ok && keepAlive) {
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      } else if (ok) {
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
      } else {
        channel.close(); // the status line is gone already: a cut connection is the only honest signal
      }
      try {
        ctx.executor().execute(() -> {
          streaming = false;
          if (!finished || !keepAlive) {
            closing = true;
          }
          drain(ctx);
        });
      } catch (RejectedExecutionException shutDown) {
        // the event loop is gone; so is the connection
      }
    });
  }

  private static boolean isStreamUpgrade(FullHttpRequest request) {
    return HttpMethod.GET.equals(request.method())
        && "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))
        && new QueryStringDecoder(request.uri()).path().equals("/api/v1/logs/stream");
  }

  private FullHttpResponse resultOf(CompletableFuture<FullHttpResponse> future) {
    try {
      return future.join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof RejectedExecutionException) {
        return api.rejected();
      }
      return internalError(cause);
    }
  }

  private static FullHttpResponse internalError(Throwable e) {
    LOG.log(System.Logger.Level.ERROR, "HTTP handler failed", e);
    return HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, HttpResponses.INTERNAL,
        "internal error: " + e);
  }

  private static FullHttpResponse malformed(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return HttpResponses.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long",
          "the request line is too long");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return HttpResponses.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
          "the request headers are too large");
    }
    String detail = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
    return HttpResponses.error(HttpResponseStatus.BAD_REQUEST, HttpResponses.BAD_REQUEST,
        "malformed HTTP request" + HttpResponses.clip(detail));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (inFlight.isEmpty()) {
        ctx.close(); // an idle keep-alive connection; the client reconnects when it needs to
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    drain(ctx); // releases answers that are already done; later ones are released as they finish
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.log(System.Logger.Level.DEBUG, "HTTP connection error: {0}", cause.toString());
    } else {
      LOG.log(System.Logger.Level.WARNING, "HTTP connection error", cause);
    }
    ctx.close();
  }
}
