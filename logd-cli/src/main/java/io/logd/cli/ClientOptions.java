package io.logd.cli;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of every command that talks to a running server (API.md, "CLI"). Mix into a command
 * with {@code @Mixin ClientOptions client;}.
 */
final class ClientOptions {
  static final String DEFAULT_URL = "http://127.0.0.1:8080";

  /** Output formats: a table for people, JSON for programs, raw for the server's answer as is. */
  enum Output {
    TABLE,
    JSON,
    RAW;

    /** The name on the command line: {@code table}, {@code json}, {@code raw}. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Parses an {@link Output} in any case, whatever the command line's enum settings. */
  static final class OutputConverter implements ITypeConverter<Output> {
    @Override
    public Output convert(String value) {
      for (Output o : Output.values()) {
        if (o.name().equalsIgnoreCase(value.trim())) {
          return o;
        }
      }
      throw new TypeConversionException("expected one of " + Arrays.toString(Output.values())
          + " but was '" + value + "'");
    }
  }

  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:LOGD_URL:-" + DEFAULT_URL + "}",
      description = "Server to talk to (env LOGD_URL). Default: " + DEFAULT_URL)
  URI url;

  @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:LOGD_API_KEY}",
      description = "API key sent as X-API-Key (env LOGD_API_KEY).")
  String apiKey;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      converter = OutputConverter.class,
      description = "Output format: table, json or raw. Default: table")
  Output output = Output.TABLE;
}
