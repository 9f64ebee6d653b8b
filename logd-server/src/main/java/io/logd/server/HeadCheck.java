package io.logd.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One per connection, before {@link BodyAdmission}: answers a request that its head alone decides
 * ({@link HttpApi#answerBeforeBody}: an API call without a valid key or the route's role, or a
 * batch the pipeline refuses now) without holding its body. The body is read off the socket and
 * dropped as it comes, so it takes no body memory and the connection stays usable. The answer goes down the pipeline in the
 * request's place as an {@link Answered}, so {@link HttpApiHandler} sends it in request order.
 *
 * <p>A client that sent {@code Expect: 100-continue} never got its {@code 100}; it may send the
 * body anyway or not at all, so that connection closes after the answer. Event-loop only.
 */
final class HeadCheck extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(HeadCheck.class.getName());

  /** The answer to a request whose body is being dropped; stands in for the request downstream. */
  record Answered(FullHttpResponse response, boolean keepAlive) {}

  private final HttpApi api;
  private final long maxBodyBytes;
  /** The body of an answered request is still arriving. */
  private boolean dropping;

  HeadCheck(HttpApi api, long maxBodyBytes) {
    this.api = api;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (dropping && msg instanceof HttpContent) {
      dropping = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    dropping = false;
    if (msg instanceof HttpRequest head && hasBodyToCome(head)) {
      FullHttpResponse answer = answer(head);
      if (answer != null) {
        boolean keepAlive = HttpUtil.isKeepAlive(head) && !HttpUtil.is100ContinueExpected(head);
        dropping = true;
        ReferenceCountUtil.release(msg);
        ctx.fireChannelRead(new Answered(answer, keepAlive));
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private FullHttpResponse answer(HttpRequest head) {
    try {
      return api.answerBeforeBody(head);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "checking a request head failed; reading its body", e);
      return null; // the whole request gets the full handling
    }
  }

  /**
   * A request whose body follows as separate content: not decoded whole, not malformed, and not
   * over the size limit, whose 413 (never retry this body) comes first.
   */
  private boolean hasBodyToCome(HttpRequest head) {
    if (head instanceof FullHttpMessage || head.decoderResult().isFailure()) {
      return false;
    }
    try {
      long length = HttpUtil.getContentLength(head, -1L);
      return length < 0 ? HttpUtil.isTransferEncodingChunked(head) : length > 0 && length <= maxBodyBytes;
    } catch (NumberFormatException e) {
      return false; // answered as malformed with the whole request
    }
  }
}
