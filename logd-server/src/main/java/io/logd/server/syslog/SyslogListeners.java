package io.logd.server.syslog;

import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.logd.parse.EventReader;
import io.logd.tenant.Tenant;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The syslog listeners of one logd: UDP, TCP and TLS as configured. Listeners share the caller's
 * event loops; closing this closes their sockets, not the loops.
 */
public final class SyslogListeners implements AutoCloseable {
  private final List<Channel> channels;
  private final SyslogDatagramReader udpReader;
  private final int udpPort;
  private final int tcpPort;
  private final int tlsPort;
  private final SyslogMetrics udp;
  private final SyslogMetrics tcp;
  private final SyslogMetrics tls;

  private SyslogListeners(List<Channel> channels, SyslogDatagramReader udpReader, int udpPort, int tcpPort, int tlsPort,
      SyslogMetrics udp, SyslogMetrics tcp, SyslogMetrics tls) {
    this.channels = channels;
    this.udpReader = udpReader;
    this.udpPort = udpPort;
    this.tcpPort = tcpPort;
    this.tlsPort = tlsPort;
    this.udp = udp;
    this.tcp = tcp;
    this.tls = tls;
  }

  /**
   * Binds every enabled listener.
   *
   * @throws IOException when a listener's tenant does not exist, its address does not resolve or
   *     cannot be bound, or the TLS certificate or key cannot be read; the message names the key
   */
  public static SyslogListeners start(Logd logd, LogdConfig.Syslog config, EventLoopGroup acceptGroup,
      EventLoopGroup ioGroup) throws IOException {
    SyslogMetrics udpMetrics = new SyslogMetrics("udp");
    SyslogMetrics tcpMetrics = new SyslogMetrics("tcp");
    SyslogMetrics tlsMetrics = new SyslogMetrics("tls");
    List<Channel> channels = new ArrayList<>();
    SyslogDatagramReader udpReader = null;
    int udpPort = -1;
    int tcpPort = -1;
    int tlsPort = -1;
    try {
      if (config.udp().enabled()) {
        int tenant = tenant(logd, "syslog.udp.tenant", config.udp().tenant());
        udpReader = bindUdp(logd, config, tenant, udpMetrics);
        udpPort = udpReader.port();
      }
      if (config.tcp().enabled()) {
        int tenant = tenant(logd, "syslog.tcp.tenant", config.tcp().tenant());
        Channel ch = bindStream(logd, config, config.tcp(), tenant, null, acceptGroup, ioGroup, tcpMetrics, "TCP");
        channels.add(ch);
        tcpPort = ((InetSocketAddress) ch.localAddress()).getPort();
      }
      if (config.tls().enabled()) {
        int tenant = tenant(logd, "syslog.tls.tenant", config.tls().tenant());
        SslContext ssl = sslContext(config.tls());
        Channel ch = bindStream(logd, config, config.tls(), tenant, ssl, acceptGroup, ioGroup, tlsMetrics, "TLS");
        channels.add(ch);
        tlsPort = ((InetSocketAddress) ch.localAddress()).getPort();
      }
    } catch (IOException | RuntimeException e) {
      channels.forEach(c -> c.close().syncUninterruptibly());
      if (udpReader != null) {
        udpReader.close();
      }
      throw e;
    }
    return new SyslogListeners(channels, udpReader, udpPort, tcpPort, tlsPort, udpMetrics, tcpMetrics, tlsMetrics);
  }

  /** The UDP port bound, or -1 when UDP is off. */
  public int udpPort() {
    return udpPort;
  }

  /** The TCP port bound, or -1 when TCP is off. */
  public int tcpPort() {
    return tcpPort;
  }

  /** The TLS port bound, or -1 when TLS is off. */
  public int tlsPort() {
    return tlsPort;
  }

  /** Counters of the three transports (a transport that is off stays at zero). */
  public List<SyslogMetrics> metrics() {
    return List.of(udp, tcp, tls);
  }

  @Override
  public void close() {
    for (Channel c : channels) {
      c.close().syncUninterruptibly();
    }
    if (udpReader != null) {
      udpReader.close();
    }
  }

  private static int tenant(Logd logd, String key, String name) throws IOException {
    return logd.keys().tenant(name).map(Tenant::id).orElseThrow(() -> new IOException(
        key + ": there is no tenant named '" + name + "' (create it with POST /api/v1/tenants, then restart)"));
  }

  private static EventReader reader(LogdConfig.Syslog config, LogdConfig.SyslogListener listener) {
    return EventReader.syslog(config.timezone(), Clock.systemUTC(), listener::formatFor);
  }

  private static SyslogDatagramReader bindUdp(Logd logd, LogdConfig.Syslog config, int tenant,
      SyslogMetrics metrics) throws IOException {
    LogdConfig.Udp udp = config.udp();
    InetSocketAddress address = address(config.bind(), udp.port(), "UDP");
    try {
      return SyslogDatagramReader.start(logd, tenant, udp, reader(config, udp), metrics, address);
    } catch (IOException e) {
      throw new IOException("cannot listen for syslog over UDP on " + address.getHostString() + ":"
          + address.getPort() + ": " + e.getMessage(), e);
    }
  }

  private static Channel bindStream(Logd logd, LogdConfig.Syslog config, LogdConfig.SyslogListener listener,
      int tenant, SslContext ssl, EventLoopGroup acceptGroup, EventLoopGroup ioGroup, SyslogMetrics metrics,
      String what) throws IOException {
    InetSocketAddress address = address(config.bind(), listener.port(), what);
    int maxFrame = (int) Math.min(config.maxFrameBytes(), Integer.MAX_VALUE - 16);
    long idleMillis = config.idleTimeout().toMillis();
    ServerBootstrap b = new ServerBootstrap()
        .group(acceptGroup, ioGroup)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (!listener.allows(ch.remoteAddress().getAddress().getAddress())) {
              metrics.refusedSources.increment();
              ch.close();
              return;
            }
            if (ssl != null) {
              ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
            }
            if (idleMillis > 0) {
              ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
            }
            ch.pipeline()
                .addLast("frames", new SyslogFrameDecoder(maxFrame))
                .addLast("ingest", new SyslogStreamHandler(logd, tenant, reader(config, listener), metrics));
          }
        });
    return bind(b.bind(address), address, what);
  }

  private static SslContext sslContext(LogdConfig.Tls tls) throws IOException {
    try {
      return SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile()).build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("syslog.tls.cert / syslog.tls.key: cannot load the certificate and key ("
          + tls.cert() + ", " + tls.key() + "); the key must be an unencrypted PEM (PKCS#8): "
          + e.getMessage(), e);
    }
  }

  private static InetSocketAddress address(String bind, int port, String what) throws IOException {
    InetSocketAddress address = new InetSocketAddress(bind, port);
    if (address.isUnresolved()) {
      throw new IOException("cannot listen for syslog over " + what + " on " + bind + ":" + port
          + ": the address does not resolve (syslog.bind)");
    }
    return address;
  }

  private static Channel bind(ChannelFuture future, InetSocketAddress address, String what) throws IOException {
    future.awaitUninterruptibly();
    if (!future.isSuccess()) {
      Throwable cause = future.cause();
      String why = cause.getMessage() != null ? cause.getMessage() : cause.toString();
      throw new IOException("cannot listen for syslog over " + what + " on "
          + address.getHostString() + ":" + address.getPort() + ": " + why, cause);
    }
    return future.channel();
  }
}
