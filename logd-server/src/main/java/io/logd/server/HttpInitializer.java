package io.logd.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Builds the pipeline of each HTTP connection. */
final class HttpInitializer extends ChannelInitializer<SocketChannel> {
  /** Search URLs carry queries, so the request line may be longer than Netty's 4 KiB default. */
  static final int MAX_REQUEST_LINE = 16 * 1024;

  static final int MAX_HEADER_BYTES = 16 * 1024;

  /**
   * A keep-alive connection with no request in flight for this long is closed. Streaming answers
   * (tail, export), when they arrive, must keep the connection busy or take it out of this rule.
   */
  static final long IDLE_SECONDS = 300;

  private final HttpApi api;
  private final int maxBodyBytes;
  private final BodyMemory bodyMemory;

  HttpInitializer(HttpApi api, int maxBodyBytes, BodyMemory bodyMemory) {
    this.api = api;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyMemory = bodyMemory;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
    p.addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(MAX_REQUEST_LINE)
        .setMaxHeaderSize(MAX_HEADER_BYTES)));
    // Next to the codec, so it sees every request head, including those answered from the head.
    p.addLast("deflate", new ResponseCompressor());
    // An ingest request its head decides (unknown key, refused batch) is answered with its body
    // dropped; one over the size limit is left to the aggregator's 413.
    p.addLast("head-check", new HeadCheck(api, maxBodyBytes));
    // before gzip is inflated: a body is reserved as sent, and a waiting one stays unread
    BodyAdmission admission = new BodyAdmission(bodyMemory, maxBodyBytes);
    p.addLast("body-memory", admission);
    // gzip bodies are inflated before aggregation, so the body limit bounds what they inflate to.
    // Each inbound chunk is at most 8 KiB and DEFLATE expands at most ~1032:1, so 16 MiB per
    // chunk admits any honest body while a bomb still fails fast.
    p.addLast("inflate", new HttpContentDecompressor(false, 16 << 20));
    // what a body inflates to past its reservation is reserved too
    p.addLast("inflated", new InflatedBodies(admission));
    p.addLast("aggregator", new JsonHttpObjectAggregator(maxBodyBytes));
    p.addLast("api", new HttpApiHandler(api));
  }
}
