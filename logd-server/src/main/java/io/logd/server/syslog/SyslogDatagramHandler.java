package io.logd.server.syslog;

import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.event.LogEvent;
import io.logd.ingest.IngestPipeline;
import io.logd.parse.EventReader;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads syslog datagrams, one message each, and offers them to ingest a batch per read loop. UDP
 * cannot push back, so a batch ingest refuses is dropped and counted by reason.
 */
final class SyslogDatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private final Logd logd;
  private final int tenant;
  private final LogdConfig.SyslogListener listener;
  private final EventReader reader;
  private final SyslogMetrics metrics;
  private List<LogEvent> batch = new ArrayList<>();

  SyslogDatagramHandler(Logd logd, int tenant, LogdConfig.SyslogListener listener, EventReader reader,
      SyslogMetrics metrics) {
    this.logd = logd;
    this.tenant = tenant;
    this.listener = listener;
    this.reader = reader;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    if (!listener.allows(packet.sender().getAddress().getAddress())) {
      metrics.refusedSources.increment();
      return;
    }
    metrics.received.increment();
    String text = packet.content().toString(StandardCharsets.UTF_8);
    LogEvent event = reader.read(text, LogEvent.toNanos(Instant.now()));
    if (event.fields().containsKey(EventReader.PARSE_ERROR)) {
      metrics.parseErrors.increment();
    }
    batch.add(event);
    if (batch.size() >= SyslogStreamHandler.MAX_BATCH) {
      flush();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // ICMP port unreachable and the like; the socket stays open for the next datagram.
  }

  private void flush() {
    if (batch.isEmpty()) {
      return;
    }
    List<LogEvent> events = batch;
    batch = new ArrayList<>();
    if (logd.ingest(tenant, events) instanceof IngestPipeline.Rejected r) {
      switch (r.reason()) {
        case OVERLOADED -> metrics.droppedOverloaded.add(events.size());
        case DISK_FULL -> metrics.droppedDiskFull.add(events.size());
        case CLOSED -> metrics.droppedClosed.add(events.size());
      }
    }
  }
}
