package io.logd.cli;

import io.logd.config.ConfigException;
import io.logd.config.ConfigLoader;
import io.logd.config.LogdConfig;
import io.logd.engine.DataDirInUseException;
import io.logd.engine.Logd;
import io.logd.server.LogdServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code logd serve}: opens the engine on the data directory, starts the listeners, prints one
 * ready line, and runs until SIGTERM or SIGINT, then closes the listeners and the engine (which
 * flushes) and exits 0.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Runs logd in the foreground until SIGTERM or Ctrl-C.",
      "Settings come from config/logd.yaml's defaults, then --config FILE (or LOGD_CONFIG), then "
          + "LOGD_* environment variables (LOGD_DATA_DIR, LOGD_HTTP_PORT, ...), then these flags.",
      ""
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML config file (env LOGD_CONFIG). Keys as in config/logd.yaml.")
  Path config;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory (data_dir, env LOGD_DATA_DIR). Default: ./data")
  String dataDir;

  @Option(names = "--http-port", paramLabel = "PORT",
      description = "HTTP port, 0 picks a free one (http.port, env LOGD_HTTP_PORT). Default: 8080")
  Integer httpPort;

  @Option(names = "--syslog-port", paramLabel = "PORT",
      description = "Syslog UDP and TCP port, 0 picks free ones (syslog.udp.port and syslog.tcp.port,"
          + " env LOGD_SYSLOG_UDP_PORT and LOGD_SYSLOG_TCP_PORT). Default: 5514")
  Integer syslogPort;

  @Option(names = "--bind", paramLabel = "ADDR",
      description = "Address every listener binds (http.bind and syslog.bind). Default: 0.0.0.0")
  String bind;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LogdConfig cfg = loadConfig();

    // Signals first: a SIGTERM that lands while the store opens still ends in a clean close.
    Lifecycle life = new Lifecycle(out, err);
    life.install();

    Logd logd;
    try {
      logd = Logd.builder().config(cfg).open();
    } catch (DataDirInUseException e) {
      throw new CliException(e.getMessage(), e);
    } catch (IOException e) {
      throw new CliException("cannot open data directory "
          + cfg.dataDir().toAbsolutePath().normalize() + ": " + e.getMessage(), e);
    }
    life.engine(logd);
    if (life.stopRequested()) {
      return life.stop(true) ? Main.EXIT_OK : Main.EXIT_ERROR;
    }

    LogdServer server;
    try {
      server = LogdServer.start(logd, cfg);
    } catch (IOException | RuntimeException e) {
      life.stop(false);
      throw new CliException(e.getMessage(), e);
    }
    life.server(server);

    StringBuilder ready = new StringBuilder("logd " + Main.version() + " ready: data=" + logd.dataDir()
        + " http=" + hostPort(cfg.http().bind(), server.httpPort()));
    server.syslog().ifPresent(s -> {
      String bind = cfg.syslog().bind();
      if (s.udpPort() >= 0) {
        ready.append(" syslog-udp=").append(hostPort(bind, s.udpPort()));
      }
      if (s.tcpPort() >= 0) {
        ready.append(" syslog-tcp=").append(hostPort(bind, s.tcpPort()));
      }
      if (s.tlsPort() >= 0) {
        ready.append(" syslog-tls=").append(hostPort(bind, s.tlsPort()));
      }
    });
    out.println(ready);
    logd.bootstrapKey().ifPresent(key -> out.println(
        "logd: created the admin key of tenant default; it is shown only this once: " + key));
    out.flush();

    life.awaitStopRequest();
    return life.stop(true) ? Main.EXIT_OK : Main.EXIT_ERROR;
  }

  private LogdConfig loadConfig() {
    Map<String, String> overrides = new LinkedHashMap<>();
    if (dataDir != null) {
      overrides.put("data_dir", dataDir);
    }
    if (httpPort != null) {
      overrides.put("http.port", Integer.toString(httpPort));
    }
    if (syslogPort != null) {
      overrides.put("syslog.udp.port", Integer.toString(syslogPort));
      overrides.put("syslog.tcp.port", Integer.toString(syslogPort));
    }
    if (bind != null) {
      overrides.put("http.bind", bind);
      overrides.put("syslog.bind", bind);
    }
    try {
      return ConfigLoader.load(config, System.getenv(), overrides);
    } catch (ConfigException e) {
      throw new CliException("config error: " + e.getMessage(), e);
    }
  }

  /** {@code host:port} as an operator would type it: IPv6 literals in brackets ({@code [::]:8080}). */
  static String hostPort(String host, int port) {
    boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
    return (ipv6 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Stopping, in one place: SIGTERM and SIGINT request a stop, which the serving thread carries out
   * (server, then engine) before {@code serve} returns 0. Handling the signals ourselves, rather than
   * through the JVM's default handler, is what makes the exit status 0 instead of 143. A shutdown
   * hook covers every other way the JVM may end (SIGHUP, System.exit elsewhere). Stopping is
   * idempotent.
   */
  static final class Lifecycle {
    private final PrintWriter out;
    private final PrintWriter err;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile LogdServer server;
    private volatile Logd engine;
    private boolean stopped;
    private boolean clean = true;

    Lifecycle(PrintWriter out, PrintWriter err) {
      this.out = out;
      this.err = err;
    }

    void install() {
      for (String name : new String[] {"TERM", "INT"}) {
        try {
          sun.misc.Signal.handle(new sun.misc.Signal(name), this::onSignal);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
          // The JVM keeps this signal (-Xrs, or not on this OS): the shutdown hook still closes cleanly.
        }
      }
      Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("logd-shutdown").unstarted(() -> stop(true)));
    }

    void engine(Logd logd) {
      this.engine = logd;
    }

    void server(LogdServer server) {
      this.server = server;
    }

    private void onSignal(sun.misc.Signal signal) {
      if (stopRequested.getCount() == 0) {
        err.println("logd: SIG" + signal.getName() + " again; still stopping (flushing to disk)");
        err.flush();
        return;
      }
      stopRequested.countDown();
    }

    boolean stopRequested() {
      return stopRequested.getCount() == 0;
    }

    void awaitStopRequest() {
      while (true) {
        try {
          stopRequested.await();
          return;
        } catch (InterruptedException e) {
          // Only a signal stops the server.
        }
      }
    }

    /**
     * Closes the server, then the engine. Returns false when closing failed (the error is printed).
     *
     * @param announce print {@code logd stopped} when done
     */
    synchronized boolean stop(boolean announce) {
      if (stopped) {
        return clean;
      }
      stopped = true;
      LogdServer s = server;
      if (s != null) {
        try {
          s.close();
        } catch (RuntimeException e) {
          clean = false;
          err.println("logd: error while stopping the listeners: " + e);
        }
      }
      Logd l = engine;
      if (l != null) {
        try {
          l.close();
        } catch (IOException | RuntimeException e) {
          clean = false;
          err.println("logd: error while closing the store: " + e);
        }
      }
      err.flush();
      if (announce && l != null) {
        out.println("logd stopped");
        out.flush();
      }
      return clean;
    }
  }
}
