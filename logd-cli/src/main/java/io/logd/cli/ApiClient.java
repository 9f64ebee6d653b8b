package io.logd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The CLI's HTTP client for a running logd: the base URL and API key of {@link ClientOptions},
 * JSON answers, and errors turned into one-line {@link CliException}s that say what to fix.
 */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A server answer: status, body, and the Retry-After seconds when the server sent one (else -1). */
  record Answer(int status, String body, long retryAfterSeconds) {
    boolean ok() {
      return status / 100 == 2;
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new CliException("the server answered " + status + " with a body that is not JSON: "
            + abbreviate(body));
      }
    }

    /** The server's error message ({@code {"error":{"message":…}}}), else the body. */
    String errorMessage() {
      try {
        JsonNode n = JSON.readTree(body);
        JsonNode m = n.path("error").path("message");
        if (m.isTextual()) {
          return m.asText();
        }
      } catch (IOException | RuntimeException e) {
        // not JSON: show it as is
      }
      return abbreviate(body);
    }
  }

  private final URI base;
  private final String apiKey;
  private final HttpClient http;


  ApiClient(URI base, String apiKey) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.apiKey = apiKey;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** GET {@code path} with query parameters (null values are left out). */
  Answer get(String path, Map<String, String> query) {
    return send(HttpRequest.newBuilder(uri(path, query)).GET());
  }

  /** POST {@code body} to {@code path}. */
  Answer post(String path, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(uri(path, Map.of()))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** DELETE {@code path}. */
  Answer delete(String path) {
    return send(HttpRequest.newBuilder(uri(path, Map.of())).DELETE());
  }

  /**
   * GET {@code path} and hand back the body as a stream (export, tail); an answer other than 2xx
   * is read whole and thrown as {@link #fail}.
   */
  java.io.InputStream stream(String path, Map<String, String> query, String queryText) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path, query)).GET().timeout(Duration.ofSeconds(30));
    HttpResponse<java.io.InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() / 100 != 2) {
      String body;
      try (java.io.InputStream in = response.body()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "";
      }
      throw fail(checkAuth(new Answer(response.statusCode(), body, -1)), queryText);
    }
    return response.body();
  }

  /** {@code a} when it is a 2xx, else throws what it says (see {@link #fail}). */
  static Answer require(Answer a, String queryText) {
    if (a.ok()) {
      return a;
    }
    throw fail(a, queryText);
  }

  /**
   * The error an answer means for the operator: a query that does not parse is shown with a caret
   * under the position, and bad input (400) is a usage error (exit 2).
   */
  static CliException fail(Answer a, String queryText) {
    String code = "";
    JsonNode position = null;
    try {
      JsonNode e = JSON.readTree(a.body()).path("error");
      code = e.path("code").asText("");
      position = e.get("position");
    } catch (IOException | RuntimeException ignored) {
      // not the contract's error shape: the status and body say enough
    }
    if (code.equals("invalid_query") && queryText != null && position != null && position.canConvertToInt()) {
      int at = Math.max(0, Math.min(queryText.length(), position.asInt()));
      return CliException.usage("bad query: " + a.errorMessage() + "\n  " + queryText + "\n  " + " ".repeat(at) + "^");
    }
    if (a.status() == 400) {
      return CliException.usage(a.errorMessage());
    }
    if (a.status() == 404) {
      return new CliException(a.errorMessage());
    }
    if (a.status() == 429 || a.status() == 503) {
      return new CliException("the server is busy (" + a.status() + "), try again"
          + (a.retryAfterSeconds() >= 0 ? " in " + a.retryAfterSeconds() + " s" : "") + ": " + a.errorMessage());
    }
    return new CliException("the server answered " + a.status() + ": " + a.errorMessage());
  }

  /** The server's address, for messages. */
  URI base() {
    return base;
  }

  private URI uri(String path, Map<String, String> query) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach((k, v) -> {
      if (v != null) {
        q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    });
    return URI.create(base + path + q);
  }

  private Answer send(HttpRequest.Builder request) {
    request.timeout(Duration.ofMinutes(30)); // admin work (reindex, backup) answers when done
    HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
    long retryAfter = response.headers().firstValue("Retry-After").map(ApiClient::seconds).orElse(-1L);
    return checkAuth(new Answer(response.statusCode(), response.body(), retryAfter));
  }

  /** 401 and 403 are never the command's to handle: they mean the key. */
  private Answer checkAuth(Answer a) {
    if (a.status() == 401) {
      throw new CliException("the server refused the API key (401): " + a.errorMessage()
          + "; pass a valid key with --api-key or LOGD_API_KEY");
    }
    if (a.status() == 403) {
      throw new CliException("the API key may not do this (403): " + a.errorMessage());
    }
    return a;
  }

  private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
    if (apiKey != null && !apiKey.isBlank()) {
      request.header("X-API-Key", apiKey);
    }
    HttpRequest r = request.build();
    try {
      return http.send(r, handler);
    } catch (ConnectException e) {
      throw new CliException("cannot connect to logd at " + base + " (is it running? set --url or LOGD_URL)", e);
    } catch (HttpTimeoutException e) {
      throw new CliException("logd at " + base + " did not answer " + r.method() + " " + r.uri().getPath()
          + " in time", e);
    } catch (IOException e) {
      throw new CliException("request to logd at " + base + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", e);
    }
  }

  private static long seconds(String header) {
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String abbreviate(String s) {
    String t = s.strip();
    return t.length() <= 300 ? t : t.substring(0, 300) + "…";
  }
}
