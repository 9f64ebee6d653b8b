package io.logd.server;

import io.logd.config.LogdConfig;
import io.logd.engine.Logd;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import io.logd.server.syslog.SyslogListeners;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * logd's listeners over an open engine. {@link #start} binds them and returns once they accept
 * connections; {@link #close} stops them. The engine stays the caller's: close the server first,
 * then the engine.
 *
 * <p>Today this is the HTTP API ({@code GET /health}); syslog listeners join it in a later issue.
 */
public final class LogdServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LogdServer.class.getName());

  /** Requests queued for the API executor beyond its threads before new ones get 503. */
  static final int API_QUEUE = 1024;

  private final EventLoopGroup acceptGroup;
  private final EventLoopGroup ioGroup;
  private final ThreadPoolExecutor apiExecutor;
  private final ThreadPoolExecutor ingestExecutor;
  private final AtomicBoolean closed;
  private final Channel httpChannel;
  private final InetSocketAddress httpAddress;
  private final SyslogListeners syslog;

  private LogdServer(EventLoopGroup acceptGroup, EventLoopGroup ioGroup, ThreadPoolExecutor apiExecutor,
      ThreadPoolExecutor ingestExecutor, AtomicBoolean closed, Channel httpChannel, InetSocketAddress requested,
      SyslogListeners syslog) {
    this.syslog = syslog;
    this.acceptGroup = acceptGroup;
    this.ioGroup = ioGroup;
    this.apiExecutor = apiExecutor;
    this.ingestExecutor = ingestExecutor;
    this.closed = closed;
    this.httpChannel = httpChannel;
    // The address as configured (0.0.0.0 stays 0.0.0.0, though a dual-stack socket reports ::),
    // with the port really bound.
    this.httpAddress = new InetSocketAddress(requested.getAddress(),
        ((InetSocketAddress) httpChannel.localAddress()).getPort());
  }

  /**
   * Starts the HTTP listener on {@code http.bind()}:{@code http.port()} (port 0 picks a free one).
   *
   * @throws IOException when the address does not resolve or cannot be bound (for example, the port
   *     is in use); the message names the address
   */
  public static LogdServer start(Logd logd, LogdConfig.Http http) throws IOException {
    return start(logd, http, null);
  }

  /**
   * Starts HTTP and the syslog listeners the configuration enables.
   *
   * @throws IOException when a listener cannot start; the message names the address or key
   */
  public static LogdServer start(Logd logd, LogdConfig config) throws IOException {
    return start(logd, config.http(), config.syslog());
  }

  private static LogdServer start(Logd logd, LogdConfig.Http http, LogdConfig.Syslog syslog) throws IOException {
    Objects.requireNonNull(logd, "logd");
    Objects.requireNonNull(http, "http");
    InetSocketAddress address = new InetSocketAddress(http.bind(), http.port());
    if (address.isUnresolved()) {
      throw new IOException("cannot listen for HTTP on " + http.bind() + ":" + http.port()
          + ": the address does not resolve (http.bind)");
    }
    int maxBody = (int) Math.min(http.maxBodyBytes(), Integer.MAX_VALUE);
    BodyMemory bodyMemory = new BodyMemory(http.inflightBodyBudget());

    EventLoopGroup acceptGroup =
        new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("logd-http-accept", true),
            NioIoHandler.newFactory());
    EventLoopGroup ioGroup =
        new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("logd-http", true),
            NioIoHandler.newFactory());
    int apiThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    ThreadPoolExecutor apiExecutor = new ThreadPoolExecutor(apiThreads, apiThreads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(API_QUEUE), new DefaultThreadFactory("logd-api", true));
    apiExecutor.allowCoreThreadTimeOut(true);
    // Ingest bodies are parsed on their own threads, so searches never queue behind a burst of
    // batches; at the lowest priority, so searches get a core first (see ./logd's JVM options).
    ThreadPoolExecutor ingestExecutor = new ThreadPoolExecutor(apiThreads, apiThreads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(API_QUEUE), new DefaultThreadFactory("logd-ingest-parse", true, Thread.MIN_PRIORITY));
    ingestExecutor.allowCoreThreadTimeOut(true);
    AtomicBoolean closed = new AtomicBoolean();
    HttpApi api = new HttpApi(logd, http, apiExecutor, ingestExecutor, closed::get);
    api.bodyMemoryMetrics(bodyMemory);

    try {
      ServerBootstrap bootstrap = new ServerBootstrap()
          .group(acceptGroup, ioGroup)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new HttpInitializer(api, maxBody, bodyMemory));
      ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
      if (!bound.isSuccess()) {
        Throwable cause = bound.cause();
        String why = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        throw new IOException("cannot listen for HTTP on " + format(address) + ": " + why, cause);
      }
      SyslogListeners listeners = null;
      if (syslog != null) {
        try {
          listeners = SyslogListeners.start(logd, syslog, acceptGroup, ioGroup);
        } catch (IOException | RuntimeException e) {
          bound.channel().close().syncUninterruptibly();
          throw e;
        }
        api.syslogMetrics(listeners.metrics());
      }
      LogdServer server = new LogdServer(acceptGroup, ioGroup, apiExecutor, ingestExecutor, closed, bound.channel(),
          address, listeners);
      LOG.log(System.Logger.Level.DEBUG, "HTTP listening on {0}", format(server.httpAddress));
      return server;
    } catch (IOException | RuntimeException | Error e) {
      shutdown(acceptGroup, ioGroup, apiExecutor, ingestExecutor);
      throw e;
    }
  }

  /** The syslog listeners, when this server was started with them. */
  public Optional<SyslogListeners> syslog() {
    return Optional.ofNullable(syslog);
  }

  /** The port HTTP listens on: the configured one, or the one picked for port 0. */
  public int httpPort() {
    return httpAddress.getPort();
  }

  /** The address HTTP listens on, as configured, with its real port. */
  public InetSocketAddress httpAddress() {
    return httpAddress;
  }

  /**
   * Stops accepting, lets requests already running finish (up to a few seconds), then closes every
   * connection. Safe to call more than once and from any thread.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    httpChannel.close().syncUninterruptibly();
    if (syslog != null) {
      syslog.close();
    }
    shutdown(acceptGroup, ioGroup, apiExecutor, ingestExecutor);
  }

  private static void shutdown(EventLoopGroup acceptGroup, EventLoopGroup ioGroup, ThreadPoolExecutor... pools) {
    // Running API work finishes while the event loops are still there to write its answers.
    for (ThreadPoolExecutor pool : pools) {
      pool.shutdown();
    }
    for (ThreadPoolExecutor pool : pools) {
      try {
        if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
          pool.shutdownNow();
        }
      } catch (InterruptedException e) {
        pool.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    var accept = acceptGroup.shutdownGracefully(0, 2_000, TimeUnit.MILLISECONDS);
    var io = ioGroup.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS);
    accept.awaitUninterruptibly();
    io.awaitUninterruptibly();
  }

  /** {@code host:port}, with IPv6 literals in brackets: {@code [::]:8080}. */
  static String format(InetSocketAddress address) {
    String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    int zone = host.indexOf('%');
    if (zone >= 0) {
      host = host.substring(0, zone);
    }
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
