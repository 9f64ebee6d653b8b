package io.logd.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The time range of a command: {@code --since 1h} (the last hour), or {@code --from} and {@code
 * --to} (RFC 3339, epoch numbers, or relative like {@code -2h}; API.md "Times").
 */
final class TimeOptions {
  private static final Pattern DURATION = Pattern.compile("\\d{1,6}[smhdw]");

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--since", paramLabel = "DURATION",
      description = "Only the last DURATION: 30s, 15m, 2h, 7d, 2w.")
  String since;

  @Option(names = "--from", paramLabel = "TIME", description = "Start (RFC 3339, epoch, or relative like -2h).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "End, exclusive. Default: now")
  String to;

  /** The {@code from} parameter to send: {@code --from}, or {@code --since} as a relative time, or {@code dflt}. */
  String from(String dflt) {
    if (since != null) {
      if (from != null) {
        throw new ParameterException(mixee.commandLine(), "--since and --from cannot be used together");
      }
      if (!DURATION.matcher(since).matches()) {
        throw new ParameterException(mixee.commandLine(),
            "--since: expected a duration like 30s, 15m, 2h, 7d or 2w, got '" + since + "'");
      }
      if (since.endsWith("w")) {
        return "-" + Long.parseLong(since.substring(0, since.length() - 1)) * 7 + "d";
      }
      return "-" + since;
    }
    return from != null ? from : dflt;
  }

  String to() {
    return to;
  }
}
