package io.logd.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's aggregator with logd's 413. Netty answers an oversized body itself with an empty 413;
 * here the refusal is passed on as an {@link OversizedRequest} so that {@link HttpApiHandler}
 * answers it in request order with the JSON error body. An {@code Expect: 100-continue} request
 * whose Content-Length is already too large is refused before its body is sent, also in JSON.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  private final int maxBodyBytes;

  JsonHttpObjectAggregator(int maxBodyBytes) {
    super(maxBodyBytes);
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Stands in for a request whose body was over the limit; its content has been discarded. */
  record OversizedRequest(int maxBodyBytes, boolean closeAfter) {}

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object response = super.newContinueResponse(start, maxContentLength, pipeline);
    if (response instanceof HttpResponse r
        && r.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      ReferenceCountUtil.release(response);
      return HttpResponses.tooLarge(maxBodyBytes);
    }
    return response;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
    if (!(oversized instanceof HttpRequest)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    // Like Netty: when the body has partly been aggregated already, or the client will not keep the
    // connection, close after answering; otherwise the rest of the body is skipped and the connection
    // stays usable.
    boolean close =
        oversized instanceof FullHttpMessage
            || !ctx.channel().config().isAutoRead()
            || (!HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized));
    ctx.fireChannelRead(new OversizedRequest(maxBodyBytes, close));
  }
}
