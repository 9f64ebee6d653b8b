package io.logd.server;

import io.logd.event.StoredEvent;
import io.logd.query.LiveTail;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code /api/v1/logs/stream}: the live tail over WebSocket, one text frame per event (the event
 * JSON). A virtual thread moves events from the subscription to the socket and waits while the
 * client is not reading, so a slow client only misses events (counted by the subscription).
 */
final class WebSocketStream extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final System.Logger LOG = System.getLogger(WebSocketStream.class.getName());

  private final WebSocketServerHandshaker handshaker;
  private final LiveTail.Subscription subscription;
  private final String tenant;

  WebSocketStream(WebSocketServerHandshaker handshaker, LiveTail.Subscription subscription, String tenant) {
    this.handshaker = handshaker;
    this.subscription = subscription;
    this.tenant = tenant;
  }

  /** Starts moving events once the handshake is done. */
  void start(Channel channel) {
    Thread.ofVirtual().name("logd-ws-stream").start(() -> {
      try {
        while (channel.isActive()) {
          StoredEvent e = subscription.poll(1, TimeUnit.SECONDS);
          if (e == null) {
            continue;
          }
          while (!channel.isWritable() && channel.isActive()) {
            LockSupport.parkNanos(1_000_000);
          }
          channel.writeAndFlush(new TextWebSocketFrame(HttpResponses.JSON.writeValueAsString(EventJson.of(e, tenant))));
        }
      } catch (Exception e) {
        LOG.log(System.Logger.Level.DEBUG, "websocket stream ended: {0}", e.toString());
      } finally {
        subscription.close();
      }
    });
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    switch (frame) {
      case CloseWebSocketFrame close -> handshaker.close(ctx.channel(), close.retain());
      case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      default -> { } // the stream is one-way; anything else the client sends is ignored
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      ctx.writeAndFlush(new PingWebSocketFrame()); // keeps proxies and the idle timer satisfied
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    subscription.close();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    subscription.close();
    ctx.close();
  }
}
