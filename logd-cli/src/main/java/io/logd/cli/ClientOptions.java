package io.logd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a command reaches a running server (API.md, "CLI"): {@code --url} and {@code --api-key},
 * else {@code LOGD_URL} and {@code LOGD_API_KEY}, else {@code url} and {@code api_key} in {@code
 * ~/.config/logd/cli.yaml}, else {@code http://127.0.0.1:8080}. Mix into a command with {@code
 * @Mixin ClientOptions client;}.
 */
final class ClientOptions {
  static final String DEFAULT_URL = "http://127.0.0.1:8080";
  private static final Set<String> FILE_KEYS = Set.of("url", "api_key");

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--url", paramLabel = "URL",
      description = "Server to talk to (env LOGD_URL, or url in ~/.config/logd/cli.yaml). Default: " + DEFAULT_URL)
  String url;

  @Option(names = "--api-key", paramLabel = "KEY",
      description = "API key (env LOGD_API_KEY, or api_key in ~/.config/logd/cli.yaml).")
  String apiKey;

  /** A client for the resolved server and key. */
  ApiClient connect() {
    CliContext ctx = Main.context(mixee);
    JsonNode file = readFile(ctx.configFile());
    String u = first(url, ctx.env("LOGD_URL"), text(file, "url"), DEFAULT_URL);
    String k = first(apiKey, ctx.env("LOGD_API_KEY"), text(file, "api_key"), null);
    URI uri;
    try {
      uri = URI.create(u.strip());
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--url: expected a URL like " + DEFAULT_URL + ", got '" + u + "'");
    }
    return new ApiClient(uri, k);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static String text(JsonNode file, String key) {
    return file == null || !file.hasNonNull(key) ? null : file.get(key).asText();
  }

  /** The CLI config file, or null when there is none; a bad file is an error naming it. */
  static JsonNode readFile(Path file) {
    if (file == null || !Files.exists(file)) {
      return null;
    }
    JsonNode n;
    try {
      n = new YAMLMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new CliException(file + ": not valid YAML: "
          + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new CliException(file + ": expected keys url and api_key");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!FILE_KEYS.contains(key)) {
        throw new CliException(file + ": unknown key '" + key + "' (known: url, api_key)");
      }
      if (!n.get(key).isValueNode()) {
        throw new CliException(file + ": " + key + " must be a plain value");
      }
    }
    return n;
  }
}
