/**
 * The {@code logd} command line (picocli). {@link io.logd.cli.Main} is the entry point of
 * {@code logd.jar}; each command is one class ({@code ServeCommand} runs the server in this JVM).
 * Commands that talk to a running server take their connection options from the
 * {@code ClientOptions} mixin ({@code --url}, {@code --api-key}, {@code -o}).
 *
 * <p>Exit codes: 0 success, 1 error (one line on stderr, a stack trace only with {@code --debug} or
 * {@code LOGD_DEBUG}), 2 usage. May depend on every other logd package; nothing depends on it.
 */
package io.logd.cli;
