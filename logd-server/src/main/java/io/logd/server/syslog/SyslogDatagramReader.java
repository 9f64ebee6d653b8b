package io.logd.server.syslog;

import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.event.LogEvent;
import io.logd.ingest.IngestPipeline;
import io.logd.parse.EventReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads syslog datagrams, one message each, on a thread of its own, and offers them to ingest in
 * batches: a batch ends when no datagram is waiting or it is full. UDP cannot push back, so a batch
 * ingest refuses is dropped and counted by reason.
 *
 * <p>Not a Netty channel on purpose: Netty allocates a buffer of the largest datagram size for
 * every datagram it reads, which halved intake here. This thread reuses one buffer for all of them.
 */
final class SyslogDatagramReader implements AutoCloseable {
  /** Largest UDP payload (65,535 minus the IPv4 and UDP headers). */
  private static final int MAX_DATAGRAM = 65_507;

  private final Logd logd;
  private final int tenant;
  private final LogdConfig.SyslogListener listener;
  private final EventReader reader;
  private final SyslogMetrics metrics;
  private final DatagramChannel channel;
  private final Selector selector;
  private final Thread thread;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
  private final byte[] bytes = new byte[MAX_DATAGRAM];
  private List<LogEvent> batch = new ArrayList<>();
  /** The last source admitted; senders are few, so most datagrams skip the CIDR check. */
  private SocketAddress lastAdmitted;

  private SyslogDatagramReader(Logd logd, int tenant, LogdConfig.SyslogListener listener, EventReader reader,
      SyslogMetrics metrics, DatagramChannel channel, Selector selector) {
    this.logd = logd;
    this.tenant = tenant;
    this.listener = listener;
    this.reader = reader;
    this.metrics = metrics;
    this.channel = channel;
    this.selector = selector;
    this.thread = new Thread(this::run, "logd-syslog-udp");
    thread.setDaemon(true);
  }

  /** Binds {@code address} and starts reading. */
  static SyslogDatagramReader start(Logd logd, int tenant, LogdConfig.Udp udp, EventReader reader,
      SyslogMetrics metrics, InetSocketAddress address) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    Selector selector = null;
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, (int) Math.min(udp.receiveBufferBytes(), Integer.MAX_VALUE));
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(address);
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
    } catch (IOException | RuntimeException e) {
      channel.close();
      if (selector != null) {
        selector.close();
      }
      throw e;
    }
    SyslogDatagramReader r = new SyslogDatagramReader(logd, tenant, udp, reader, metrics, channel, selector);
    r.thread.start();
    return r;
  }

  /** The port bound. */
  int port() throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  private void run() {
    try {
      while (channel.isOpen()) {
        buffer.clear();
        SocketAddress from = channel.receive(buffer);
        if (from == null) {
          flush();
          selector.select();
          selector.selectedKeys().clear();
          continue;
        }
        if (!from.equals(lastAdmitted)) {
          if (!listener.allows(((InetSocketAddress) from).getAddress().getAddress())) {
            metrics.refusedSources.increment();
            continue;
          }
          lastAdmitted = from;
        }
        metrics.received.increment();
        buffer.flip();
        int len = buffer.remaining();
        buffer.get(bytes, 0, len);
        LogEvent event = reader.read(new String(bytes, 0, len, StandardCharsets.UTF_8), LogEvent.toNanos(Instant.now()));
        if (event.fields().containsKey(EventReader.PARSE_ERROR)) {
          metrics.parseErrors.increment();
        }
        batch.add(event);
        if (batch.size() >= SyslogStreamHandler.MAX_BATCH) {
          flush();
        }
      }
    } catch (ClosedChannelException | ClosedSelectorException e) {
      // closed: stop
    } catch (IOException | RuntimeException e) {
      System.getLogger(SyslogDatagramReader.class.getName())
          .log(System.Logger.Level.ERROR, "syslog UDP listener stopped", e);
    } finally {
      flush();
    }
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

  /** Stops reading; what was read is offered before the thread ends. */
  @Override
  public void close() {
    try {
      channel.close();
      selector.wakeup();
      thread.join(5_000);
      selector.close();
    } catch (IOException e) {
      // closing anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
