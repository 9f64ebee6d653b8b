package io.logd.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logd.engine.Health;
import io.logd.engine.Logd;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * The HTTP API: routes a request to its handler. Called on an event loop, so it must not block:
 * anything that touches the store is submitted to the API executor and answered through the future.
 * Handlers must read what they need from the request before returning, because the request is
 * released as soon as {@link #handle} returns.
 */
final class HttpApi {
  private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());

  private final Logd logd;
  private final Executor executor;
  private final BooleanSupplier shuttingDown;

  HttpApi(Logd logd, Executor executor, BooleanSupplier shuttingDown) {
    this.logd = logd;
    this.executor = executor;
    this.shuttingDown = shuttingDown;
  }

  /**
   * Answers one request.
   *
   * @throws java.util.concurrent.RejectedExecutionException when the API executor is full or shut
   *     down; the caller answers with {@link #rejected()}
   */
  CompletableFuture<FullHttpResponse> handle(FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    HttpMethod method = request.method();
    return switch (path) {
      case "/health" -> isRead(method) ? health() : done(methodNotAllowed(method, path, "GET, HEAD"));
      default -> done(HttpResponses.error(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND,
          "no such endpoint: " + HttpResponses.clip(method.name() + " " + path)));
    };
  }

  /** The answer when the executor refuses work: the server is overloaded or shutting down. */
  FullHttpResponse rejected() {
    if (shuttingDown.getAsBoolean()) {
      return HttpResponses.unavailable(HttpResponses.UNAVAILABLE, "logd is shutting down", 5);
    }
    return HttpResponses.unavailable(HttpResponses.OVERLOADED, "too many requests in progress; retry later", 1);
  }

  // ---------------------------------------------------------------- /health

  private CompletableFuture<FullHttpResponse> health() {
    return CompletableFuture.supplyAsync(this::healthResponse, executor);
  }

  private FullHttpResponse healthResponse() {
    Health health;
    try {
      health = logd.health();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "health check failed", e);
      health = new Health(false, false, -1, false);
    }
    boolean ok = health.ok();
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    body.put("status", ok ? "ok" : "degraded");
    body.put("store", health.storeOk() ? "ok" : "error");
    body.put("index", health.indexOk() ? "ok" : "error");
    body.put("disk_free_bytes", health.diskFreeBytes());
    body.put("disk_low", health.diskLow());
    FullHttpResponse response =
        HttpResponses.json(ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return response;
  }

  // ---------------------------------------------------------------- helpers

  private static boolean isRead(HttpMethod method) {
    return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
  }

  private static FullHttpResponse methodNotAllowed(HttpMethod method, String path, String allow) {
    FullHttpResponse response = HttpResponses.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
        HttpResponses.METHOD_NOT_ALLOWED,
        HttpResponses.clip(method.name()) + " is not allowed on " + path + "; use " + allow);
    response.headers().set(HttpHeaderNames.ALLOW, allow);
    return response;
  }

  private static CompletableFuture<FullHttpResponse> done(FullHttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
