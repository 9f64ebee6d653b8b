package io.logd.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logd.engine.Health;
import io.logd.engine.Logd;
import io.logd.event.EventId;
import io.logd.ingest.IngestPipeline;
import io.logd.query.Cursor;
import io.logd.query.QuerySyntaxException;
import io.logd.query.Searcher;
import io.logd.query.TimeRange;
import io.logd.tenant.Tenant;
import io.logd.parse.json.JsonBatchReader;
import io.logd.tenant.ApiKey;
import io.logd.tenant.Role;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
      case "/api/v1/logs" -> HttpMethod.POST.equals(method)
          ? ingest(request, JsonBatchReader.Shape.JSON)
          : isRead(method) ? search(request) : done(methodNotAllowed(method, path, "GET, HEAD, POST"));
      case "/api/v1/logs/bulk", "/api/v1/logs/batch", "/ingest" -> HttpMethod.POST.equals(method)
          ? ingest(request, JsonBatchReader.Shape.ARRAY_OR_NDJSON)
          : done(methodNotAllowed(method, path, "POST"));
      default -> {
        if (path.startsWith(EVENT_PREFIX) && path.indexOf('/', EVENT_PREFIX.length()) < 0) {
          yield isRead(method) ? event(request, path.substring(EVENT_PREFIX.length()))
              : done(methodNotAllowed(method, path, "GET, HEAD"));
        }
        yield done(HttpResponses.error(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND,
            "no such endpoint: " + HttpResponses.clip(method.name() + " " + path)));
      }
    };
  }

  /** The answer when the executor refuses work: the server is overloaded or shutting down. */
  FullHttpResponse rejected() {
    if (shuttingDown.getAsBoolean()) {
      return HttpResponses.unavailable(HttpResponses.UNAVAILABLE, "logd is shutting down", 5);
    }
    return HttpResponses.unavailable(HttpResponses.OVERLOADED, "too many requests in progress; retry later", 1);
  }

  // ---------------------------------------------------------------- auth

  /** The caller's key when it may act as {@code needed}; otherwise the 401 or 403 to answer. */
  private sealed interface Auth permits Allowed, Denied {}

  private record Allowed(ApiKey key) implements Auth {}

  private record Denied(FullHttpResponse response) implements Auth {}

  private Auth authenticate(FullHttpRequest request, Role needed) {
    String secret = request.headers().get("X-API-Key");
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (secret == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      secret = authorization.substring(7).trim();
    }
    if (secret == null || secret.isEmpty()) {
      return new Denied(HttpResponses.error(HttpResponseStatus.UNAUTHORIZED, HttpResponses.UNAUTHORIZED,
          "send an API key in X-API-Key or Authorization: Bearer"));
    }
    Optional<ApiKey> key = logd.keys().authenticate(secret);
    if (key.isEmpty()) {
      return new Denied(HttpResponses.error(HttpResponseStatus.UNAUTHORIZED, HttpResponses.UNAUTHORIZED,
          "unknown or revoked API key"));
    }
    if (!key.get().role().allows(needed)) {
      return new Denied(HttpResponses.error(HttpResponseStatus.FORBIDDEN, HttpResponses.FORBIDDEN,
          "a " + key.get().role().wireName() + " key cannot do this; it needs the " + needed.wireName() + " role"));
    }
    return new Allowed(key.get());
  }

  // ---------------------------------------------------------------- ingest

  /**
   * Parses the body on the API executor, offers the good events to the pipeline, and answers only
   * after their durable ack (off the executor: the ack completes on the writer thread).
   */
  private CompletableFuture<FullHttpResponse> ingest(FullHttpRequest request, JsonBatchReader.Shape shape) {
    ApiKey key;
    switch (authenticate(request, Role.INGEST)) {
      case Denied d -> {
        return done(d.response());
      }
      case Allowed a -> key = a.key();
    }
    byte[] body = ByteBufUtil.getBytes(request.content()); // the request is released on return
    Instant received = Instant.now();
    return CompletableFuture.supplyAsync(() -> READERS.get().read(body, shape, received), executor)
        .thenCompose(batch -> {
          if (batch.fatal() != null) {
            return done(HttpResponses.error(HttpResponseStatus.BAD_REQUEST, HttpResponses.INVALID_JSON, batch.fatal()));
          }
          if (batch.events().isEmpty()) {
            return done(ingestAnswer(0, batch.rejected()));
          }
          return switch (logd.ingest(key.tenant(), batch.events())) {
            case IngestPipeline.Accepted a -> a.ack().handle((ack, failure) -> failure == null
                ? ingestAnswer(batch.events().size(), batch.rejected())
                : HttpResponses.unavailable(HttpResponses.UNAVAILABLE, "the events could not be stored: "
                    + failure.getMessage(), 5));
            case IngestPipeline.Rejected r -> done(switch (r.reason()) {
              case OVERLOADED -> HttpResponses.unavailable(HttpResponses.OVERLOADED, r.message(), 1);
              case DISK_FULL -> HttpResponses.unavailable(HttpResponses.DISK_FULL, r.message(), 30);
              case CLOSED -> HttpResponses.unavailable(HttpResponses.UNAVAILABLE, r.message(), 5);
            });
          };
        });
  }

  private static final ThreadLocal<JsonBatchReader> READERS = ThreadLocal.withInitial(JsonBatchReader::new);

  private static FullHttpResponse ingestAnswer(int accepted, List<JsonBatchReader.Rejection> rejected) {
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    body.put("accepted", accepted);
    ArrayNode list = body.putArray("rejected");
    for (JsonBatchReader.Rejection r : rejected) {
      list.addObject().put("index", r.index()).put("error", r.reason());
    }
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  // ---------------------------------------------------------------- search and read

  private static final String EVENT_PREFIX = "/api/v1/logs/";
  private static final int DEFAULT_LIMIT = 100;

  /** {@code GET /api/v1/logs?q=&from=&to=&limit=&cursor=&order=}. */
  private CompletableFuture<FullHttpResponse> search(FullHttpRequest request) {
    ApiKey key;
    switch (authenticate(request, Role.READ)) {
      case Denied d -> {
        return done(d.response());
      }
      case Allowed a -> key = a.key();
    }
    QueryStringDecoder qs = new QueryStringDecoder(request.uri());
    String q = param(qs, "q");
    String order = Optional.ofNullable(param(qs, "order")).orElse("desc");
    if (!order.equals("desc") && !order.equals("asc")) {
      return done(badRequest(HttpResponses.BAD_REQUEST, "order: expected asc or desc, got '" + HttpResponses.clip(order) + "'"));
    }
    int limit;
    try {
      limit = param(qs, "limit") == null ? DEFAULT_LIMIT : Integer.parseInt(param(qs, "limit"));
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > Searcher.MAX_LIMIT) {
      return done(badRequest(HttpResponses.BAD_REQUEST, "limit: expected a number from 1 to " + Searcher.MAX_LIMIT));
    }
    Cursor cursor = null;
    if (param(qs, "cursor") != null) {
      Optional<Cursor> c = Cursor.decode(param(qs, "cursor"));
      if (c.isEmpty()) {
        return done(badRequest(HttpResponses.BAD_REQUEST, "cursor: not a cursor this server issued"));
      }
      cursor = c.get();
    }
    TimeRange range;
    switch (TimeRange.parse(param(qs, "from"), param(qs, "to"), Instant.now())) {
      case TimeRange.Bad bad -> {
        return done(badRequest(HttpResponses.INVALID_TIME, bad.parameter() + ": " + bad.message()));
      }
      case TimeRange.Ok ok -> range = ok.range();
    }
    Searcher.Request search = new Searcher.Request(key.tenant(), q, range, limit, cursor, order.equals("desc"));
    long start = System.nanoTime();
    return CompletableFuture.supplyAsync(() -> {
      try {
        Searcher.Page page = logd.searcher().search(search);
        String tenant = tenantName(key.tenant());
        ObjectNode body = HttpResponses.JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        page.events().forEach(e -> events.add(EventJson.of(e, tenant)));
        body.put("next_cursor", page.next() == null ? null : page.next().encode());
        body.put("took_ms", (System.nanoTime() - start) / 1_000_000);
        return HttpResponses.json(HttpResponseStatus.OK, body);
      } catch (QuerySyntaxException e) {
        ObjectNode body = HttpResponses.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", HttpResponses.INVALID_QUERY);
        error.put("message", e.getMessage());
        error.put("position", e.position());
        return HttpResponses.json(HttpResponseStatus.BAD_REQUEST, body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, executor);
  }

  /** {@code GET /api/v1/logs/{id}}: one RocksDB get under the caller's tenant. */
  private CompletableFuture<FullHttpResponse> event(FullHttpRequest request, String idText) {
    ApiKey key;
    switch (authenticate(request, Role.READ)) {
      case Denied d -> {
        return done(d.response());
      }
      case Allowed a -> key = a.key();
    }
    Optional<EventId> id = EventId.parse(idText);
    if (id.isEmpty()) {
      return done(HttpResponses.error(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND, "no such event"));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        return logd.get(key.tenant(), id.get())
            .map(e -> HttpResponses.json(HttpResponseStatus.OK, EventJson.of(e, tenantName(key.tenant()))))
            .orElseGet(() -> HttpResponses.error(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND, "no such event"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, executor);
  }

  private String tenantName(int tenant) {
    return logd.keys().tenant(tenant).map(Tenant::name).orElse(Integer.toString(tenant));
  }

  private static String param(QueryStringDecoder qs, String name) {
    List<String> values = qs.parameters().get(name);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  private static FullHttpResponse badRequest(String code, String message) {
    return HttpResponses.error(HttpResponseStatus.BAD_REQUEST, code, message);
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
