package io.logd.server.syslog;

import io.logd.engine.Logd;
import io.logd.event.LogEvent;
import io.logd.ingest.IngestPipeline;
import io.logd.parse.EventReader;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads one TCP or TLS connection's messages and offers them to ingest, a batch per socket read.
 *
 * <p>Flow control instead of loss: while more than {@link #MAX_IN_FLIGHT} of this connection's
 * events wait for their durable commit, or while ingest refuses a batch (overloaded, disk low),
 * the connection is not read, so the sender's TCP window fills and the sender slows down. A refused
 * batch is retried until it is accepted or logd shuts down. All state is touched only on the
 * channel's event loop.
 */
final class SyslogStreamHandler extends ChannelInboundHandlerAdapter {
  /** Events of one connection accepted but not yet committed before reading pauses. */
  static final int MAX_IN_FLIGHT = 32_768;
  /** Most events offered at once; a read that yields more is offered in several batches. */
  static final int MAX_BATCH = 8_192;
  private static final long RETRY_OVERLOADED_MS = 20;
  private static final long RETRY_DISK_FULL_MS = 1_000;

  private final Logd logd;
  private final int tenant;
  private final EventReader reader;
  private final SyslogMetrics metrics;
  private List<LogEvent> batch = new ArrayList<>();
  /** A batch ingest refused, waiting for its retry; later batches queue behind it to keep order. */
  private List<LogEvent> refused;
  private int inFlight;
  private boolean paused;
  private ChannelHandlerContext ctx;

  SyslogStreamHandler(Logd logd, int tenant, EventReader reader, SyslogMetrics metrics) {
    this.logd = logd;
    this.tenant = tenant;
    this.reader = reader;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    metrics.connections.increment();
    metrics.openConnections.increment();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    SyslogFrameDecoder.Frame frame = (SyslogFrameDecoder.Frame) msg;
    metrics.received.increment();
    LogEvent event = reader.read(frame.text(), LogEvent.toNanos(java.time.Instant.now()), frame.truncated());
    if (frame.truncated()) {
      metrics.truncated.increment();
    }
    if (event.fields().containsKey(EventReader.PARSE_ERROR)) {
      metrics.parseErrors.increment();
    }
    batch.add(event);
    if (batch.size() >= MAX_BATCH) {
      flush();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    metrics.openConnections.decrement();
    flush();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset connection or a failed TLS handshake: nothing to answer on syslog, just close.
    ctx.close();
  }

  private void flush() {
    if (batch.isEmpty() || refused != null) {
      return;
    }
    List<LogEvent> events = batch;
    batch = new ArrayList<>();
    offer(events);
  }

  private void offer(List<LogEvent> events) {
    IngestPipeline.Offer offer = logd.ingest(tenant, events);
    switch (offer) {
      case IngestPipeline.Accepted accepted -> {
        int n = events.size();
        inFlight += n;
        updateReading();
        accepted.ack().whenComplete((ack, error) -> ctx.executor().execute(() -> {
          inFlight -= n;
          if (error != null) {
            metrics.droppedClosed.add(n);
          }
          updateReading();
        }));
      }
      case IngestPipeline.Rejected rejected -> {
        if (rejected.reason() == IngestPipeline.Reason.CLOSED) {
          metrics.droppedClosed.add(events.size());
          ctx.close();
          return;
        }
        refused = events;
        updateReading();
        long delay = rejected.reason() == IngestPipeline.Reason.DISK_FULL ? RETRY_DISK_FULL_MS : RETRY_OVERLOADED_MS;
        ctx.executor().schedule(this::retry, delay, TimeUnit.MILLISECONDS);
      }
    }
  }

  private void retry() {
    List<LogEvent> events = refused;
    refused = null;
    offer(events);
    if (refused == null) {
      flush();
    }
  }

  private void updateReading() {
    boolean pause = refused != null || inFlight > MAX_IN_FLIGHT;
    if (pause != paused) {
      paused = pause;
      if (pause) {
        metrics.pauses.increment();
      }
      ctx.channel().config().setAutoRead(!pause);
    }
  }
}
