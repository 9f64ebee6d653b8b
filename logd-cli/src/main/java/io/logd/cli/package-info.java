/**
 * The {@code logd} command line (picocli). {@link io.logd.cli.Main} is the entry point of
 * {@code logd.jar}; each command is one class ({@code ServeCommand} runs the server in this JVM,
 * {@code SearchCommand}, {@code TailCommand}, {@code StatsCommand}, {@code TopCommand}, {@code
 * ExportCommand}, {@code IngestCommand}, {@code KeysCommand}, {@code TenantsCommand} and {@code
 * AdminCommand} talk to a running server).
 *
 * <p>Shared pieces: {@code ClientOptions} (where the server is: flag, environment, then
 * {@code ~/.config/logd/cli.yaml}) and {@code ApiClient} (HTTP, and server errors turned into
 * messages that say what to fix); {@code OutputOptions}, {@code EventPrinter} and {@code Table}
 * (table, JSON or raw output); {@code TimeOptions}; {@code Progress} (stderr, terminals only);
 * {@code CliContext} (environment, terminal and zone of a run, pinned by tests).
 *
 * <p>Exit codes: 0 success, 1 error (one line on stderr, a stack trace only with {@code --debug} or
 * {@code LOGD_DEBUG}), 2 usage (including queries and times the server refuses). May depend on
 * every other logd package; nothing depends on it.
 */
package io.logd.cli;
