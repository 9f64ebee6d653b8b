package io.logd.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;

/**
 * One per connection, between the gzip inflater and the aggregator: tells the connection's {@link
 * BodyAdmission} how many body bytes the aggregator is about to hold, so that a body that inflates
 * past its reservation counts what it really takes. Event-loop only.
 */
final class InflatedBodies extends ChannelInboundHandlerAdapter {
  private final BodyAdmission admission;

  InflatedBodies(BodyAdmission admission) {
    this.admission = admission;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpContent content) {
      admission.counted(content.content().readableBytes());
    }
    ctx.fireChannelRead(msg);
  }
}
