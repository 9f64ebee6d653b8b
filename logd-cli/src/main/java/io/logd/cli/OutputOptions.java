package io.logd.cli;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * How a command prints results: {@code -o table} (aligned, level colours on a terminal, the
 * default there), {@code -o json} (one JSON object per event or result line, the default on a
 * pipe) or {@code -o raw} (messages only); times in local time unless {@code --utc}.
 */
final class OutputOptions {
  /** Output formats. */
  enum Format {
    TABLE,
    JSON,
    RAW;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Parses a {@link Format} in any case. */
  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) {
        if (f.name().equalsIgnoreCase(value.trim())) {
          return f;
        }
      }
      throw new TypeConversionException("expected one of " + Arrays.toString(Format.values())
          + " but was '" + value + "'");
    }
  }

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", converter = FormatConverter.class,
      description = "table, json or raw. Default: table on a terminal, json otherwise")
  Format format;

  @Option(names = "--utc", description = "Show times in UTC instead of local time.")
  boolean utc;

  Format format() {
    return format != null ? format : Main.context(mixee).terminal() ? Format.TABLE : Format.JSON;
  }

  ZoneId zone() {
    return utc ? ZoneOffset.UTC : Main.context(mixee).zone();
  }

  boolean colour() {
    return format() == Format.TABLE && Main.context(mixee).colour();
  }
}
