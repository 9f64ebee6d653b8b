package io.logd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code logd} command: the entry point of {@code logd.jar}. */
@Command(
    name = "logd",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    subcommands = {ServeCommand.class, SearchCommand.class, TailCommand.class, StatsCommand.class,
        TopCommand.class, IngestCommand.class, ExportCommand.class, KeysCommand.class, TenantsCommand.class,
        AdminCommand.class, CompletionCommand.class, HelpCommand.class},
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "logd is a log appliance in one JAR: syslog and HTTP ingest, a durable store, search and rollups.",
      ""
    },
    footerHeading = "%n",
    footer = {
      "Run 'logd help COMMAND' or 'logd COMMAND --help' for a command's options.",
      "Exit codes: 0 success, 1 error, 2 usage. LOGD_DEBUG=1 is the same as --debug."
    })
public final class Main implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_ERROR = 1;
  static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  private final CliContext context;

  Main(CliContext context) {
    this.context = context;
  }

  /** The surroundings of the run a command belongs to. */
  static CliContext context(CommandSpec spec) {
    return ((Main) spec.root().userObject()).context;
  }

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error (env LOGD_DEBUG=1).")
  boolean debug;

  /** Runs {@code logd} with the given arguments and exits with its exit code. */
  public static void main(String[] args) {
    // One line per log record, unless the operator configured java.util.logging otherwise.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null
        && System.getProperty("java.util.logging.config.file") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format",
          "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(execute(out, err, args));
  }

  /** Runs {@code logd} with the given arguments and returns its exit code, without exiting. */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    return execute(CliContext.system(), out, err, args);
  }

  /** Runs {@code logd} in the given surroundings (tests pin the environment and the zone). */
  static int execute(CliContext context, PrintWriter out, PrintWriter err, String... args) {
    return commandLine(context, out, err).execute(args);
  }

  static CommandLine commandLine(CliContext context, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new Main(context));
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler(Main::handleError);
    cmd.setExitCodeExceptionMapper(e -> e instanceof ParameterException ? EXIT_USAGE : EXIT_ERROR);
    return cmd;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing command");
  }

  /** Prints an error as one {@code logd: ...} line; the stack trace only when debugging. */
  private static int handleError(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean debug = debugRequested(parsed);
    if (e instanceof CliException c) {
      err.println("logd: " + e.getMessage());
      if (debug) {
        e.printStackTrace(err);
      }
      err.flush();
      return c.exitCode();
    } else {
      String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
      err.println("logd: " + message + (debug ? "" : " (run with --debug for details)"));
    }
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return EXIT_ERROR;
  }

  static boolean debugRequested(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    String env = System.getenv("LOGD_DEBUG");
    return env != null && !env.isBlank()
        && !switch (env.trim().toLowerCase(Locale.ROOT)) {
          case "0", "false", "no", "off" -> true;
          default -> false;
        };
  }

  /** logd's version: the JAR manifest's Implementation-Version, else the one filtered in at build. */
  static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    if (version != null && !version.isBlank()) {
      return version;
    }
    try (InputStream in = Main.class.getResourceAsStream("/logd-version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        version = p.getProperty("version");
        if (version != null && !version.isBlank() && !version.startsWith("${")) {
          return version.trim();
        }
      }
    } catch (IOException ignored) {
      // fall through: an unknown version is no reason to fail
    }
    return "unknown";
  }

  /** {@code logd --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "logd " + version(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + "), "
            + System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "?")
      };
    }
  }
}
