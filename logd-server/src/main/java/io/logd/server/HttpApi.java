package io.logd.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logd.engine.Health;
import io.logd.config.LogdConfig;
import io.logd.engine.Backup;
import io.logd.engine.Logd;
import io.logd.engine.Verification;
import io.logd.event.EventId;
import io.logd.ingest.IngestPipeline;
import io.logd.query.Cursor;
import io.logd.query.ExportIterator;
import io.logd.query.LiveTail;
import io.logd.query.QuerySyntaxException;
import io.logd.query.QueryTooBroadException;
import io.logd.query.Searcher;
import io.logd.query.TimeRange;
import io.logd.store.Retention;
import io.logd.tenant.KeyStore;
import io.logd.tenant.KeyStoreException;
import io.logd.tenant.Tenant;
import io.logd.event.StoredEvent;
import io.logd.event.Times;
import com.fasterxml.jackson.databind.JsonNode;
import io.logd.event.LogEvent;
import io.logd.parse.json.EsBulkReader;
import io.logd.parse.json.JsonBatchReader;
import io.logd.tenant.ApiKey;
import io.logd.tenant.Role;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  private final Executor ingestExecutor;
  private final BooleanSupplier shuttingDown;
  private final Metrics metrics = new Metrics();
  private final MetricsApi metricsApi;
  private final Sessions sessions = new Sessions(java.time.Clock.systemUTC());
  private final StaticFiles files = new StaticFiles();
  private final RateLimiter limiter;

  /** Adds the request-body memory's figures to /metrics. */
  void bodyMemoryMetrics(BodyMemory memory) {
    metrics.bodyMemory(memory);
  }

  /** Adds the syslog listeners' counters to /metrics. */
  void syslogMetrics(java.util.List<io.logd.server.syslog.SyslogMetrics> syslog) {
    metrics.syslog(syslog);
  }

  HttpApi(Logd logd, LogdConfig.Http http, Executor executor, Executor ingestExecutor, BooleanSupplier shuttingDown) {
    this.logd = logd;
    this.executor = executor;
    this.ingestExecutor = ingestExecutor;
    this.shuttingDown = shuttingDown;
    this.limiter = new RateLimiter(http.rateLimit(), http.rateBurst());
    this.metricsApi = new MetricsApi(logd);
  }

  /**
   * Answers one request.
   *
   * @throws java.util.concurrent.RejectedExecutionException when the API executor is full or shut
   *     down; the caller answers with {@link #rejected()}
   */
  CompletableFuture<FullHttpResponse> handle(FullHttpRequest request) {
    return route(request.method(), new QueryStringDecoder(request.uri()).path()).serve().answer(request);
  }

  /** How {@link #handle} serves one method on one path, and what {@link #answerBeforeBody} checks first. */
  private record Route(Guard guard, Serve serve) {}

  /** Answers a whole request. */
  @FunctionalInterface
  private interface Serve {
    CompletableFuture<FullHttpResponse> answer(FullHttpRequest request);
  }

  /** What a request's head must show before its body is worth reading. */
  private enum Guard {
    /** Nothing: the route needs no key (health, metrics, the dashboard, sign-in). */
    OPEN(null),
    /** A valid key of any role: unknown routes and methods under {@code /api/v1/}, so a caller without a key learns nothing of them. */
    ANY_KEY(null),
    READ(Role.READ),
    ADMIN(Role.ADMIN),
    /** The ingest role, and a pipeline that takes batches now. */
    INGEST(Role.INGEST),
    /** As {@link #INGEST}, answered in Elasticsearch's shape. */
    ES_INGEST(Role.INGEST);

    final Role role;

    Guard(Role role) {
      this.role = role;
    }
  }

  /** The one routing table: every method and path {@link #handle} serves, and its guard. */
  private Route route(HttpMethod method, String path) {
    if (StaticFiles.handles(path)) {
      return isRead(method) ? open(r -> done(files.get(path))) : notAllowed(method, path, "GET, HEAD");
    }
    return switch (path) {
      case "/api/v1/session" -> open(r -> session(r, method));
      case "/health" -> isRead(method) ? open(r -> health()) : notAllowed(method, path, "GET, HEAD");
      case "/metrics" -> isRead(method) ? open(r -> metrics()) : notAllowed(method, path, "GET, HEAD");
      case "/api/v1/logs" -> HttpMethod.POST.equals(method) ? ingest(JsonBatchReader.Shape.JSON)
          : HttpMethod.DELETE.equals(method) ? admin(this::deleteBefore)
          : isRead(method) ? read(this::search) : notAllowed(method, path, "GET, HEAD, POST, DELETE");
      case "/_bulk", "/api/v1/es/_bulk" -> HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method)
          ? esBulk(null) : notAllowed(method, path, "POST, PUT");
      case "/api/v1/logs/bulk", "/api/v1/logs/batch", "/ingest" -> HttpMethod.POST.equals(method)
          ? ingest(JsonBatchReader.Shape.ARRAY_OR_NDJSON) : notAllowed(method, path, "POST");
      case "/api/v1/logs/hits" -> readOnly(method, path, this::hits);
      case "/api/v1/metrics/overview" -> readOnly(method, path, (k, qs, b) -> metricsApi.overview(k.tenant(), qs));
      case "/api/v1/metrics/timeseries" -> readOnly(method, path, (k, qs, b) -> metricsApi.timeseries(k.tenant(), qs));
      case "/api/v1/metrics/top" -> readOnly(method, path, (k, qs, b) -> metricsApi.top(k.tenant(), qs));
      case "/api/v1/metrics/latency" -> readOnly(method, path, (k, qs, b) -> metricsApi.latency(k.tenant(), qs));
      case "/api/v1/logs/facets" -> readOnly(method, path, this::facets);
      case "/api/v1/logs/stats" -> readOnly(method, path, this::stats);
      case "/api/v1/logs/stream" -> new Route(guardOfUnknown(path), r -> done(HttpResponses.error(HttpResponseStatus.UPGRADE_REQUIRED,
          HttpResponses.BAD_REQUEST, "this is a WebSocket endpoint: send GET with Upgrade: websocket")));
      case "/api/v1/logs/tail" -> HttpMethod.GET.equals(method) ? read(this::tail) : notAllowed(method, path, "GET");
      case "/api/v1/logs/export" -> HttpMethod.GET.equals(method) ? read(this::export) : notAllowed(method, path, "GET");
      case "/api/v1/fields" -> readOnly(method, path, this::fields);
      case "/api/v1/admin/rollups/rebuild" -> HttpMethod.POST.equals(method) ? admin(this::rebuildRollups)
          : notAllowed(method, path, "POST");
      case "/api/v1/admin/reindex" -> HttpMethod.POST.equals(method) ? admin(this::reindex)
          : notAllowed(method, path, "POST");
      case "/api/v1/admin/retention" -> HttpMethod.POST.equals(method) ? admin(this::applyRetention)
          : notAllowed(method, path, "POST");
      case "/api/v1/admin/verify" -> HttpMethod.GET.equals(method) ? admin(this::verify)
          : notAllowed(method, path, "GET");
      case "/api/v1/admin/backup" -> HttpMethod.POST.equals(method) ? admin(this::backup)
          : notAllowed(method, path, "POST");
      case "/api/v1/tenants" -> HttpMethod.POST.equals(method) ? admin(this::createTenant)
          : isRead(method) ? admin(this::listTenants) : notAllowed(method, path, "GET, HEAD, POST");
      case "/api/v1/keys" -> HttpMethod.POST.equals(method) ? admin(this::createKey)
          : isRead(method) ? admin(this::listKeys) : notAllowed(method, path, "GET, HEAD, POST");
      default -> routeWithId(method, path);
    };
  }

  /** Paths that carry an id: {@code /{index}/_bulk}, {@code /api/v1/logs/{id}[/context]}, {@code /api/v1/fields/{name}/values}, {@code /api/v1/keys/{id}}. */
  private Route routeWithId(HttpMethod method, String path) {
    String[] parts = path.split("/", -1); // "", "api", "v1", kind, id, [rest]
    if (parts.length == 3 && parts[2].equals("_bulk") && !parts[1].isEmpty() && !parts[1].startsWith("_")) {
      return HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method)
          ? esBulk(parts[1]) : notAllowed(method, path, "POST, PUT");
    }
    if (parts.length >= 5 && parts[1].equals("api") && parts[2].equals("v1") && !parts[4].isEmpty()) {
      String id = parts[4];
      if (parts[3].equals("logs") && parts.length == 5) {
        return readOnly(method, path, (key, qs, payload) -> event(key, id));
      }
      if (parts[3].equals("logs") && parts.length == 6 && parts[5].equals("context")) {
        return readOnly(method, path, (key, qs, payload) -> context(key, qs, id));
      }
      if (parts[3].equals("fields") && parts.length == 6 && parts[5].equals("values")) {
        return readOnly(method, path, (key, qs, payload) -> fieldValues(key, qs, id));
      }
      if (parts[3].equals("keys") && parts.length == 5) {
        return HttpMethod.DELETE.equals(method)
            ? admin((key, qs, payload) -> revokeKey(key, id)) : notAllowed(method, path, "DELETE");
      }
    }
    return new Route(guardOfUnknown(path), r -> done(HttpResponses.error(HttpResponseStatus.NOT_FOUND,
        HttpResponses.NOT_FOUND, "no such endpoint: " + HttpResponses.clip(method.name() + " " + path))));
  }

  private static Route open(Serve serve) {
    return new Route(Guard.OPEN, serve);
  }

  private Route read(Handler h) {
    return new Route(Guard.READ, r -> authorized(r, Role.READ, h));
  }

  private Route readOnly(HttpMethod method, String path, Handler h) {
    return isRead(method) ? read(h) : notAllowed(method, path, "GET, HEAD");
  }

  private Route admin(Handler h) {
    return new Route(Guard.ADMIN, r -> authorized(r, Role.ADMIN, h));
  }

  private Route ingest(JsonBatchReader.Shape shape) {
    return new Route(Guard.INGEST, r -> ingest(r, shape));
  }

  private Route esBulk(String defaultIndex) {
    return new Route(Guard.ES_INGEST, r -> esBulk(r, defaultIndex));
  }

  private static Route notAllowed(HttpMethod method, String path, String allow) {
    return new Route(guardOfUnknown(path), r -> done(methodNotAllowed(method, path, allow)));
  }

  /** The guard of a 404 or 405: a key under {@code /api/v1/}, as there every route needs one. */
  private static Guard guardOfUnknown(String path) {
    return path.startsWith("/api/v1/") && !path.equals("/api/v1/session") ? Guard.ANY_KEY : Guard.OPEN;
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

  private Auth authenticate(HttpRequest request, Role needed) {
    return authenticate(request, needed, true);
  }

  /** As {@link #authenticate(HttpRequest, Role)}; {@code charge} false leaves the rate limit untouched. */
  private Auth authenticate(HttpRequest request, Role needed, boolean charge) {
    String secret = request.headers().get("X-API-Key");
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (secret == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      secret = authorization.substring(7).trim();
    }
    if (secret == null && authorization != null && authorization.regionMatches(true, 0, "ApiKey ", 0, 7)) {
      secret = authorization.substring(7).trim(); // what Elasticsearch clients send
    }
    if ((secret == null || secret.isEmpty()) && sessionToken(request) != null) {
      return authenticateSession(request, needed, charge);
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
    return authorize(key.get(), needed, charge);
  }

  /** The session cookie's token, or null. */
  private static String sessionToken(HttpRequest request) {
    String header = request.headers().get(HttpHeaderNames.COOKIE);
    if (header == null) {
      return null;
    }
    for (io.netty.handler.codec.http.cookie.Cookie c : io.netty.handler.codec.http.cookie.ServerCookieDecoder.LAX.decode(header)) {
      if (c.name().equals(Sessions.COOKIE)) {
        return c.value();
      }
    }
    return null;
  }

  /**
   * A dashboard request: the session's key, re-checked (a revoked key ends its sessions); a request
   * that changes something must also carry {@code X-Logd-Request}, which a cross-site form cannot
   * send (a second guard beside SameSite=Strict).
   */
  private Auth authenticateSession(HttpRequest request, Role needed, boolean charge) {
    Optional<ApiKey> key = sessions.find(sessionToken(request))
        .flatMap(s -> logd.keys().key(s.keyId()))
        .filter(ApiKey::active);
    if (key.isEmpty()) {
      return new Denied(HttpResponses.error(HttpResponseStatus.UNAUTHORIZED, HttpResponses.UNAUTHORIZED,
          "the session has ended; sign in again"));
    }
    if (!isRead(request.method()) && !"1".equals(request.headers().get("X-Logd-Request"))) {
      return new Denied(HttpResponses.error(HttpResponseStatus.FORBIDDEN, HttpResponses.FORBIDDEN,
          "a request that changes something with a session cookie needs the header X-Logd-Request: 1"));
    }
    return authorize(key.get(), needed, charge);
  }

  /** The rate limit (when {@code charge}), then the role (any role when {@code needed} is null). */
  private Auth authorize(ApiKey key, Role needed, boolean charge) {
    long retryAfter = charge ? limiter.acquire(key.id()) : 0;
    if (retryAfter > 0) {
      FullHttpResponse r = HttpResponses.error(HttpResponseStatus.TOO_MANY_REQUESTS, HttpResponses.RATE_LIMITED,
          "this key is over http.rate_limit requests per second; retry later");
      r.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter);
      return new Denied(r);
    }
    if (needed != null && !key.role().allows(needed)) {
      return new Denied(HttpResponses.error(HttpResponseStatus.FORBIDDEN, HttpResponses.FORBIDDEN,
          "a " + key.role().wireName() + " key cannot do this; it needs the " + needed.wireName() + " role"));
    }
    return new Allowed(key);
  }

  /**
   * {@code GET /api/v1/logs/stream?q=} with {@code Upgrade: websocket}: authenticates like any
   * read call, then hands the connection to {@link WebSocketStream}. Runs on the event loop (it
   * only parses the query and registers a subscription). Returns an error answer, or null when the
   * connection was upgraded.
   */
  FullHttpResponse upgradeToStream(ChannelHandlerContext ctx, FullHttpRequest request) {
    ApiKey key;
    switch (authenticate(request, Role.READ)) {
      case Denied d -> {
        return d.response();
      }
      case Allowed a -> key = a.key();
    }
    LiveTail.Subscription sub;
    try {
      sub = logd.tail().subscribe(key.tenant(), param(new QueryStringDecoder(request.uri()), "q"), TAIL_BUFFER);
    } catch (QuerySyntaxException e) {
      return HttpResponses.invalidQuery(e.getMessage(), e.position());
    }
    String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(location, null, true, 64 << 10).newHandshaker(request);
    if (handshaker == null) {
      sub.close();
      return HttpResponses.error(HttpResponseStatus.UPGRADE_REQUIRED, HttpResponses.BAD_REQUEST,
          "unsupported WebSocket version; use version 13");
    }
    WebSocketStream stream = new WebSocketStream(handshaker, sub, tenantName(key.tenant()));
    ctx.pipeline().replace(ctx.handler(), "ws-stream", stream);
    handshaker.handshake(ctx.channel(), request).addListener(f -> {
      if (f.isSuccess()) {
        stream.start(ctx.channel());
      } else {
        sub.close();
        ctx.close();
      }
    });
    return null;
  }

  /**
   * The answer to a request that its head alone decides, or null when its body must be read: the
   * route's {@link Guard} fails. That is no key, an unknown or revoked one, or an ended session
   * (401), or a key without the route's role (403), on every {@code /api/v1/} route but sign-in
   * and on Elasticsearch's {@code _bulk}; and on ingest routes a pipeline that takes no batches now
   * (503; 429 in Elasticsearch's shape on {@code _bulk}). These are the answers the whole request
   * would get, except that a caller without a key learns nothing of unknown routes and methods
   * under {@code /api/v1/}. Given before the body, such a body is never held in memory (see {@link
   * HeadCheck}). The rate limit stays with the whole request, so no key is charged twice. Event
   * loop; never blocks.
   */
  FullHttpResponse answerBeforeBody(HttpRequest head) {
    Guard guard = route(head.method(), new QueryStringDecoder(head.uri()).path()).guard();
    if (guard == Guard.OPEN) {
      return null;
    }
    boolean elastic = guard == Guard.ES_INGEST;
    if (authenticate(head, guard.role, false) instanceof Denied d) {
      return elastic ? elastic(d.response()) : d.response();
    }
    if (guard != Guard.INGEST && !elastic) {
      return null;
    }
    Optional<IngestPipeline.Rejected> refused = logd.ingestRefusal();
    if (refused.isEmpty()) {
      return null;
    }
    return elastic ? elastic(esRejected(refused.get())) : refusedAnswer(refused.get());
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
    // Parsing is a third of ingest's CPU: a batch the pipeline cannot take now is not parsed, and
    // one admitted here is offered with ingestAdmitted, so the lag cannot refuse it once parsed.
    Optional<IngestPipeline.Rejected> refused = logd.ingestRefusal();
    if (refused.isPresent()) {
      return done(refusedAnswer(refused.get()));
    }
    byte[] body = ByteBufUtil.getBytes(request.content()); // the request is released on return
    Instant received = Instant.now();
    return CompletableFuture.supplyAsync(() -> READERS.get().read(body, shape, received), ingestExecutor)
        .thenCompose(batch -> {
          if (batch.fatal() != null) {
            return done(HttpResponses.error(HttpResponseStatus.BAD_REQUEST, HttpResponses.INVALID_JSON, batch.fatal()));
          }
          if (batch.events().isEmpty()) {
            return done(ingestAnswer(0, batch.rejected()));
          }
          return switch (logd.ingestAdmitted(key.tenant(), batch.events())) {
            case IngestPipeline.Accepted a -> a.ack().handle((ack, failure) -> failure == null
                ? ingestAnswer(batch.events().size(), batch.rejected())
                : HttpResponses.unavailable(HttpResponses.UNAVAILABLE, "the events could not be stored: "
                    + failure.getMessage(), 5));
            case IngestPipeline.Rejected r -> done(refusedAnswer(r));
          };
        });
  }

  /** The 503 for a batch the pipeline refused, with the wait that reason calls for. */
  private static FullHttpResponse refusedAnswer(IngestPipeline.Rejected r) {
    return switch (r.reason()) {
      case OVERLOADED -> HttpResponses.unavailable(HttpResponses.OVERLOADED, r.message(), 1);
      case DISK_FULL -> HttpResponses.unavailable(HttpResponses.DISK_FULL, r.message(), 30);
      case CLOSED -> HttpResponses.unavailable(HttpResponses.UNAVAILABLE, r.message(), 5);
    };
  }

  /**
   * Elasticsearch {@code _bulk}: answers in Elasticsearch's bulk response shape, one item per
   * action, after the durable ack. Each created item's {@code _id} is the logd event ID.
   */
  private CompletableFuture<FullHttpResponse> esBulk(FullHttpRequest request, String defaultIndex) {
    ApiKey key;
    switch (authenticate(request, Role.INGEST)) {
      case Denied d -> {
        return done(elastic(d.response()));
      }
      case Allowed a -> key = a.key();
    }
    Optional<IngestPipeline.Rejected> refused = logd.ingestRefusal();
    if (refused.isPresent()) {
      return done(elastic(esRejected(refused.get())));
    }
    byte[] body = ByteBufUtil.getBytes(request.content());
    Instant received = Instant.now();
    long start = System.nanoTime();
    return CompletableFuture.supplyAsync(() -> ES_READERS.get().read(body, defaultIndex, received), ingestExecutor)
        .thenCompose(items -> {
          List<LogEvent> events = new ArrayList<>();
          for (EsBulkReader.Item item : items) {
            if (item instanceof EsBulkReader.Accepted a) {
              events.add(a.event());
            }
          }
          if (events.isEmpty()) {
            return done(elastic(esBulkAnswer(items, events, 0, start)));
          }
          return switch (logd.ingestAdmitted(key.tenant(), events)) {
            case IngestPipeline.Accepted a -> a.ack().handle((ack, failure) -> elastic(failure == null
                ? esBulkAnswer(items, events, ack.firstSeq(), start)
                : HttpResponses.unavailable(HttpResponses.UNAVAILABLE, "the events could not be stored: "
                    + failure.getMessage(), 5)));
            case IngestPipeline.Rejected r -> done(elastic(esRejected(r)));
          };
        });
  }

  /** Elasticsearch clients retry a 429 es_rejected_execution_exception with backoff. */
  private static FullHttpResponse esRejected(IngestPipeline.Rejected r) {
    return HttpResponses.error(HttpResponseStatus.TOO_MANY_REQUESTS, "es_rejected_execution_exception", r.message());
  }

  private static final ThreadLocal<EsBulkReader> ES_READERS = ThreadLocal.withInitial(EsBulkReader::new);

  private static FullHttpResponse esBulkAnswer(List<EsBulkReader.Item> items, List<LogEvent> events, long firstSeq,
      long start) {
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    body.put("took", (System.nanoTime() - start) / 1_000_000);
    boolean errors = false;
    ArrayNode out = body.putArray("items");
    int accepted = 0;
    for (EsBulkReader.Item item : items) {
      ObjectNode result = out.addObject().putObject(item.action());
      result.put("_index", item.index() == null ? "logd" : item.index());
      switch (item) {
        case EsBulkReader.Accepted a -> {
          long seq = firstSeq + accepted;
          result.put("_id", new EventId(events.get(accepted).timestampNanos(), seq).hex());
          result.put("_version", 1).put("result", "created");
          result.putObject("_shards").put("total", 1).put("successful", 1).put("failed", 0);
          result.put("_seq_no", seq).put("_primary_term", 1).put("status", 201);
          accepted++;
        }
        case EsBulkReader.Failed f -> {
          errors = true;
          result.putNull("_id");
          result.put("status", f.status());
          result.putObject("error").put("type", f.type()).put("reason", f.reason());
        }
      }
    }
    body.put("errors", errors);
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  /** Elasticsearch clients refuse answers without this header. */
  private static FullHttpResponse elastic(FullHttpResponse r) {
    r.headers().set("X-Elastic-Product", "Elasticsearch");
    return r;
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

  /** Answers one authorized request on the API executor. */
  @FunctionalInterface
  private interface Handler {
    FullHttpResponse answer(ApiKey key, QueryStringDecoder qs, byte[] payload)
        throws BadParam, QuerySyntaxException, IOException;
  }

  private CompletableFuture<FullHttpResponse> authorized(FullHttpRequest request, Role role, Handler h) {
    ApiKey key;
    switch (authenticate(request, role)) {
      case Denied d -> {
        return done(d.response());
      }
      case Allowed a -> key = a.key();
    }
    QueryStringDecoder qs = new QueryStringDecoder(request.uri());
    byte[] body = ByteBufUtil.getBytes(request.content()); // the request is released on return
    return CompletableFuture.supplyAsync(() -> {
      try {
        return h.answer(key, qs, body);
      } catch (BadParam e) {
        return HttpResponses.error(e.status, e.code, e.getMessage());
      } catch (QuerySyntaxException e) {
        return HttpResponses.invalidQuery(e.getMessage(), e.position());
      } catch (QueryTooBroadException e) {
        return HttpResponses.error(HttpResponseStatus.BAD_REQUEST, HttpResponses.QUERY_TOO_BROAD, e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, executor);
  }

  static TimeRange range(QueryStringDecoder qs) throws BadParam {
    return switch (TimeRange.parse(param(qs, "from"), param(qs, "to"), Instant.now())) {
      case TimeRange.Bad bad -> throw new BadParam(HttpResponses.INVALID_TIME, bad.parameter() + ": " + bad.message());
      case TimeRange.Ok ok -> ok.range();
    };
  }

  static int intParam(QueryStringDecoder qs, String name, int dflt, int min, int max) throws BadParam {
    String v = param(qs, name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new BadParam(HttpResponses.BAD_REQUEST, name + ": expected a number from " + min + " to " + max
        + ", got '" + HttpResponses.clip(v) + "'");
  }

  /** {@code GET /api/v1/logs?q=&from=&to=&limit=&cursor=&order=}. */
  private FullHttpResponse search(ApiKey key, QueryStringDecoder qs, byte[] payload) throws BadParam, QuerySyntaxException, IOException {
    String order = Optional.ofNullable(param(qs, "order")).orElse("desc");
    if (!order.equals("desc") && !order.equals("asc")) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "order: expected asc or desc, got '" + HttpResponses.clip(order) + "'");
    }
    boolean paged = param(qs, "page") != null || param(qs, "page_size") != null;
    int pageSize = intParam(qs, "page_size", DEFAULT_LIMIT, 1, Searcher.MAX_LIMIT);
    int pageNumber = intParam(qs, "page", 1, 1, Searcher.MAX_LIMIT);
    int limit = paged ? pageSize : intParam(qs, "limit", DEFAULT_LIMIT, 1, Searcher.MAX_LIMIT);
    int skip = paged ? (pageNumber - 1) * pageSize : 0;
    if ((long) skip + limit > Searcher.MAX_LIMIT) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "page * page_size may be at most " + Searcher.MAX_LIMIT
          + "; use cursor paging to go deeper");
    }
    Cursor cursor = null;
    if (param(qs, "cursor") != null) {
      cursor = Cursor.decode(param(qs, "cursor"))
          .orElseThrow(() -> new BadParam(HttpResponses.BAD_REQUEST, "cursor: not a cursor this server issued"));
    }
    String q = param(qs, "q");
    TimeRange range = range(qs);
    long start = System.nanoTime();
    Searcher.Page page = logd.searcher().search(
        new Searcher.Request(key.tenant(), q, range, skip + limit, cursor, order.equals("desc")));
    String tenant = tenantName(key.tenant());
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    ArrayNode events = body.putArray("events");
    page.events().stream().skip(skip).forEach(e -> events.add(EventJson.of(e, tenant)));
    body.put("next_cursor", page.next() == null ? null : page.next().encode());
    if (paged) {
      body.put("page", pageNumber);
      body.put("page_size", pageSize);
      body.put("total", logd.searcher().count(key.tenant(), q, range));
    }
    long took = System.nanoTime() - start;
    metrics.recordQuery(took);
    body.put("took_ms", took / 1_000_000);
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  /** {@code DELETE /api/v1/logs?before=T} (admin): the tenant's events older than T. */
  private FullHttpResponse deleteBefore(ApiKey key, QueryStringDecoder qs, byte[] payload) throws BadParam, IOException {
    String before = param(qs, "before");
    if (before == null) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "before: required, e.g. before=-30d or an RFC 3339 time");
    }
    long nanos = switch (Times.parse(before, Instant.now())) {
      case Times.Ok ok -> ok.nanos();
      case Times.Bad bad -> throw new BadParam(HttpResponses.INVALID_TIME, "before: " + bad.message());
    };
    long deleted = logd.deleteBefore(key.tenant(), Instant.ofEpochSecond(0, nanos));
    return HttpResponses.json(HttpResponseStatus.OK, HttpResponses.JSON.createObjectNode().put("deleted", deleted));
  }

  /**
   * {@code GET /api/v1/logs/export?q=&from=&to=&format=ndjson|csv&order=asc|desc}: every match,
   * streamed in chunks of about 64 KiB while it is read, in constant memory.
   */
  private FullHttpResponse export(ApiKey key, QueryStringDecoder qs, byte[] payload)
      throws BadParam, QuerySyntaxException, IOException {
    String format = Optional.ofNullable(param(qs, "format")).orElse("ndjson");
    if (!format.equals("ndjson") && !format.equals("csv")) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "format: expected ndjson or csv");
    }
    String order = Optional.ofNullable(param(qs, "order")).orElse("asc");
    if (!order.equals("desc") && !order.equals("asc")) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "order: expected asc or desc");
    }
    ExportIterator it = logd.searcher().export(key.tenant(), param(qs, "q"), range(qs), order.equals("desc"));
    try {
      it.hasNext(); // the first page before the status line, so a query too broad still answers 400
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    String tenant = tenantName(key.tenant());
    boolean csv = format.equals("csv");
    StreamedResponse r = new StreamedResponse(
        csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8", sink -> {
          java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(80 << 10);
          if (csv) {
            buf.writeBytes(EventCsv.HEADER.getBytes(StandardCharsets.UTF_8));
          }
          try {
            while (it.hasNext()) {
              StoredEvent e = it.next();
              if (csv) {
                buf.writeBytes(EventCsv.line(e).getBytes(StandardCharsets.UTF_8));
              } else {
                buf.writeBytes(HttpResponses.JSON.writeValueAsBytes(EventJson.of(e, tenant)));
                buf.write('\n');
              }
              if (buf.size() >= 64 << 10) {
                sink.write(buf.toByteArray());
                buf.reset();
              }
            }
          } catch (UncheckedIOException e) {
            throw e.getCause();
          }
          if (buf.size() > 0) {
            sink.write(buf.toByteArray());
          }
        });
    r.headers().set("Content-Disposition", "attachment; filename=\"logd-export." + format + "\"");
    return r;
  }

  /** Events one tail subscriber may have waiting before the slow reader misses some. */
  static final int TAIL_BUFFER = 10_000;

  /**
   * {@code GET /api/v1/logs/tail?q=}: Server-Sent Events, one event per {@code data:} line,
   * starting with new events. A comment line every 15 s keeps proxies from closing the stream; a
   * reader that falls behind misses events (counted in the {@code dropped} comment lines).
   */
  private FullHttpResponse tail(ApiKey key, QueryStringDecoder qs, byte[] payload) throws QuerySyntaxException {
    LiveTail.Subscription sub = logd.tail().subscribe(key.tenant(), param(qs, "q"), TAIL_BUFFER);
    String tenant = tenantName(key.tenant());
    StreamedResponse r = new StreamedResponse("text/event-stream; charset=utf-8", sink -> {
      try {
        sink.write(": logd live tail\n\n".getBytes(StandardCharsets.UTF_8));
        long reportedDrops = 0;
        long lastWrite = System.nanoTime();
        StringBuilder out = new StringBuilder(4096);
        while (sink.open()) {
          StoredEvent e = sub.poll(1, TimeUnit.SECONDS);
          out.setLength(0);
          if (e == null) {
            if (System.nanoTime() - lastWrite < TimeUnit.SECONDS.toNanos(15)) {
              continue;
            }
            out.append(": keep-alive\n\n");
          }
          for (int n = 0; e != null && n < 500; n++) {
            out.append("id: ").append(e.id().hex()).append("\ndata: ")
                .append(HttpResponses.JSON.writeValueAsString(EventJson.of(e, tenant))).append("\n\n");
            e = sub.poll(0, TimeUnit.MILLISECONDS);
          }
          if (sub.dropped() != reportedDrops) {
            reportedDrops = sub.dropped();
            out.append(": dropped ").append(reportedDrops).append(" events this reader could not keep up with\n\n");
          }
          sink.write(out.toString().getBytes(StandardCharsets.UTF_8));
          lastWrite = System.nanoTime();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        sub.close();
      }
    });
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return r;
  }

  /** {@code GET /api/v1/logs/{id}}: one RocksDB get under the caller's tenant. */
  private FullHttpResponse event(ApiKey key, String idText) throws IOException {
    Optional<EventId> id = EventId.parse(idText);
    Optional<StoredEvent> e = id.isEmpty() ? Optional.empty() : logd.get(key.tenant(), id.get());
    return e.map(ev -> HttpResponses.json(HttpResponseStatus.OK, EventJson.of(ev, tenantName(key.tenant()))))
        .orElseGet(() -> HttpResponses.error(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND, "no such event"));
  }

  /** {@code GET /api/v1/logs/{id}/context?before=20&after=20}. */
  private FullHttpResponse context(ApiKey key, QueryStringDecoder qs, String idText) throws BadParam, IOException {
    int before = intParam(qs, "before", 20, 0, 1000);
    int after = intParam(qs, "after", 20, 0, 1000);
    Optional<EventId> id = EventId.parse(idText);
    Optional<Searcher.Context> ctx = id.isEmpty() ? Optional.empty()
        : logd.searcher().context(key.tenant(), id.get(), before, after);
    if (ctx.isEmpty()) {
      return HttpResponses.error(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND, "no such event");
    }
    String tenant = tenantName(key.tenant());
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    ArrayNode b = body.putArray("before");
    ctx.get().before().forEach(e -> b.add(EventJson.of(e, tenant)));
    body.set("event", EventJson.of(ctx.get().event(), tenant));
    ArrayNode a = body.putArray("after");
    ctx.get().after().forEach(e -> a.add(EventJson.of(e, tenant)));
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  /** {@code GET /api/v1/logs/hits?q=&from=&to=&step=1m}. */
  private FullHttpResponse hits(ApiKey key, QueryStringDecoder qs, byte[] payload) throws BadParam, QuerySyntaxException, IOException {
    String stepText = Optional.ofNullable(param(qs, "step")).orElse("1m");
    long step = stepNanos(stepText);
    Searcher.Hits hits;
    try {
      hits = logd.searcher().hits(key.tenant(), param(qs, "q"), range(qs), step);
    } catch (IllegalArgumentException e) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "step: " + e.getMessage());
    }
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    body.put("total", hits.total());
    body.put("step", stepText);
    body.put("source", hits.source().label());
    ArrayNode buckets = body.putArray("buckets");
    for (Searcher.Bucket bucket : hits.buckets()) {
      buckets.addObject().put("t", Times.format(bucket.startNanos())).put("count", bucket.count());
    }
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  static long stepNanos(String text) throws BadParam {
    java.util.regex.Matcher m = STEP.matcher(text);
    if (!m.matches()) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "step: expected a duration like 30s, 1m, 5m, 1h or 1d, got '"
          + HttpResponses.clip(text) + "'");
    }
    long n = Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> 86_400_000_000_000L;
    };
    if (n < 1 || n > 366) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "step: the number must be from 1 to 366");
    }
    return n * unit;
  }

  private static final java.util.regex.Pattern STEP = java.util.regex.Pattern.compile("(\\d{1,3})([smhd])");

  /** {@code GET /api/v1/logs/facets?q=&from=&to=&fields=service,level&limit=10}. */
  private FullHttpResponse facets(ApiKey key, QueryStringDecoder qs, byte[] payload) throws BadParam, QuerySyntaxException, IOException {
    String fieldsText = Optional.ofNullable(param(qs, "fields")).orElse("service,level,host");
    List<String> fields = new ArrayList<>();
    for (String f : fieldsText.split(",")) {
      if (!f.isBlank()) {
        fields.add(f.strip());
      }
    }
    if (fields.isEmpty() || fields.size() > 50) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "fields: name 1 to 50 fields, comma-separated");
    }
    int limit = intParam(qs, "limit", 10, 1, 1000);
    Map<String, List<Searcher.ValueCount>> facets = logd.searcher().facets(key.tenant(), param(qs, "q"), range(qs), fields, limit);
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    facets.forEach((field, values) -> body.set(field, valueCounts(values)));
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  /** {@code GET /api/v1/logs/stats?q=&from=&to=}: totals, counts by level and service, unique hosts. */
  private FullHttpResponse stats(ApiKey key, QueryStringDecoder qs, byte[] payload)
      throws BadParam, QuerySyntaxException, IOException {
    Searcher.Stats stats = logd.searcher().stats(key.tenant(), param(qs, "q"), range(qs));
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    body.put("total", stats.total());
    ObjectNode byLevel = body.putObject("by_level");
    stats.byLevel().forEach(byLevel::put);
    ObjectNode byService = body.putObject("by_service");
    stats.byService().forEach(byService::put);
    body.put("unique_hosts", stats.uniqueHosts());
    body.put("source", stats.source().label());
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  /** {@code GET /metrics}: Prometheus text of logd's own counters; needs no key, like /health. */
  private CompletableFuture<FullHttpResponse> metrics() {
    return CompletableFuture.supplyAsync(() -> {
      String text = metrics.render(logd);
      FullHttpResponse r = new DefaultFullHttpResponse(
          HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
      return r;
    }, executor);
  }

  private static ArrayNode valueCounts(List<Searcher.ValueCount> values) {
    ArrayNode a = HttpResponses.JSON.createArrayNode();
    values.forEach(v -> a.addObject().put("value", v.value()).put("count", v.count()));
    return a;
  }

  /** {@code GET /api/v1/fields?from=&to=}. */
  private FullHttpResponse fields(ApiKey key, QueryStringDecoder qs, byte[] payload) throws BadParam, IOException {
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    ArrayNode fields = body.putArray("fields");
    for (Searcher.FieldInfo f : logd.searcher().fields(key.tenant(), range(qs))) {
      ArrayNode types = fields.addObject().put("name", f.name()).putArray("types");
      f.types().forEach(t -> types.add(t.label()));
    }
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  /** {@code GET /api/v1/fields/{name}/values?q=&limit=}. */
  private FullHttpResponse fieldValues(ApiKey key, QueryStringDecoder qs, String name)
      throws BadParam, QuerySyntaxException, IOException {
    int limit = intParam(qs, "limit", 10, 1, 1000);
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    body.put("field", name);
    body.set("values", valueCounts(logd.searcher().fieldValues(key.tenant(), name, param(qs, "q"), range(qs), limit)));
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  // ---------------------------------------------------------------- tenants and keys

  /** Admins of tenant {@code default} run the appliance: they see and manage every tenant. */
  private static boolean operator(ApiKey key) {
    return key.tenant() == KeyStore.DEFAULT_TENANT_ID;
  }

  /** {@code POST /api/v1/admin/rollups/rebuild}: recounts every rollup from the stored events. */
  private FullHttpResponse rebuildRollups(ApiKey key, QueryStringDecoder qs, byte[] payload) throws BadParam, IOException {
    if (!operator(key)) {
      return HttpResponses.error(HttpResponseStatus.FORBIDDEN, HttpResponses.FORBIDDEN,
          "only admins of tenant default rebuild rollups");
    }
    if (logd.rollups().isEmpty()) {
      throw new BadParam(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND,
          "rollups are turned off (rollups.enabled: false)");
    }
    long start = System.nanoTime();
    long events = logd.rollups().get().rebuild();
    return HttpResponses.json(HttpResponseStatus.OK, HttpResponses.JSON.createObjectNode()
        .put("events", events).put("took_ms", (System.nanoTime() - start) / 1_000_000));
  }

  /** {@code POST /api/v1/admin/reindex}: rebuilds every day index from the stored events. */
  private FullHttpResponse reindex(ApiKey key, QueryStringDecoder qs, byte[] payload) throws IOException {
    if (!operator(key)) {
      return HttpResponses.error(HttpResponseStatus.FORBIDDEN, HttpResponses.FORBIDDEN,
          "only admins of tenant default reindex");
    }
    long start = System.nanoTime();
    long events = logd.index().reindex();
    return HttpResponses.json(HttpResponseStatus.OK, HttpResponses.JSON.createObjectNode()
        .put("events", events).put("took_ms", (System.nanoTime() - start) / 1_000_000));
  }

  /** {@code POST /api/v1/admin/retention}: applies retention now, with the configured age and disk budget. */
  private FullHttpResponse applyRetention(ApiKey key, QueryStringDecoder qs, byte[] payload) throws IOException {
    if (!operator(key)) {
      return HttpResponses.error(HttpResponseStatus.FORBIDDEN, HttpResponses.FORBIDDEN,
          "only admins of tenant default apply retention");
    }
    Retention.Report report = logd.applyRetention();
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    ArrayNode days = body.putArray("dropped_days");
    report.droppedDays().forEach(d -> days.add(d.toString()));
    body.put("bytes_before", report.bytesBefore()).put("bytes_after", report.bytesAfter())
        .put("over_budget", report.overBudget());
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  /**
   * {@code GET /api/v1/admin/verify}: checks the store, the indexes and the rollups against each
   * other; 200 either way, since problems found are the answer, not a failure of the request.
   */
  private FullHttpResponse verify(ApiKey key, QueryStringDecoder qs, byte[] payload) throws IOException {
    if (!operator(key)) {
      return HttpResponses.error(HttpResponseStatus.FORBIDDEN, HttpResponses.FORBIDDEN,
          "only admins of tenant default verify the store");
    }
    long start = System.nanoTime();
    Verification v = logd.verify();
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    body.put("ok", v.ok());
    ArrayNode tenants = body.putArray("tenants");
    for (Verification.TenantCheck c : v.tenants()) {
      ObjectNode t = tenants.addObject().put("tenant", tenantName(c.tenant())).put("events", c.events())
          .put("indexed", c.indexed());
      if (c.rolledUp().isPresent()) {
        t.put("rolled_up", c.rolledUp().getAsLong());
      } else {
        t.putNull("rolled_up");
      }
      t.put("undecodable", c.undecodable());
    }
    ArrayNode problems = body.putArray("problems");
    v.problems().forEach(problems::add);
    body.put("took_ms", (System.nanoTime() - start) / 1_000_000);
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  /**
   * {@code POST /api/v1/admin/backup} with {@code {"dir":"/absolute/path"}}: a consistent online
   * copy that opens as a data directory. The path is on the logd host, not the caller's.
   */
  private FullHttpResponse backup(ApiKey key, QueryStringDecoder qs, byte[] payload) throws BadParam, IOException {
    if (!operator(key)) {
      return HttpResponses.error(HttpResponseStatus.FORBIDDEN, HttpResponses.FORBIDDEN,
          "only admins of tenant default back up");
    }
    JsonNode dir = jsonBody(payload).path("dir");
    if (!dir.isTextual() || dir.asText().isBlank()) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "dir: required, an absolute path on the logd host");
    }
    Path path;
    try {
      path = Path.of(dir.asText());
    } catch (InvalidPathException e) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "dir: not a path: " + HttpResponses.clip(e.getMessage()));
    }
    long start = System.nanoTime();
    Backup b;
    try {
      b = logd.backup(path);
    } catch (IllegalArgumentException e) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "dir: " + e.getMessage());
    }
    return HttpResponses.json(HttpResponseStatus.OK, HttpResponses.JSON.createObjectNode()
        .put("dir", b.dir().toString()).put("bytes", b.bytes())
        .put("took_ms", (System.nanoTime() - start) / 1_000_000));
  }

  // ---------------------------------------------------------------- dashboard sessions

  /**
   * {@code /api/v1/session}: POST {@code {"key":"…"}} signs in (sets the HttpOnly cookie), GET
   * says who the cookie belongs to, DELETE signs out (ends the session server-side).
   */
  private CompletableFuture<FullHttpResponse> session(FullHttpRequest request, HttpMethod method) {
    if (HttpMethod.POST.equals(method)) {
      byte[] body = ByteBufUtil.getBytes(request.content());
      return CompletableFuture.supplyAsync(() -> {
        String secret;
        try {
          secret = jsonBody(body).path("key").asText("");
        } catch (BadParam e) {
          return HttpResponses.error(e.status, e.code, e.getMessage());
        }
        Optional<ApiKey> key = logd.keys().authenticate(secret);
        if (key.isEmpty()) {
          return HttpResponses.error(HttpResponseStatus.UNAUTHORIZED, HttpResponses.UNAUTHORIZED,
              "unknown or revoked API key");
        }
        Sessions.Session s = sessions.create(key.get());
        FullHttpResponse r = HttpResponses.json(HttpResponseStatus.OK, sessionJson(key.get(), s));
        r.headers().set(HttpHeaderNames.SET_COOKIE, Sessions.cookie(s));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
      }, executor);
    }
    if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
      Optional<Sessions.Session> s = sessions.find(sessionToken(request));
      Optional<ApiKey> key = s.flatMap(x -> logd.keys().key(x.keyId())).filter(ApiKey::active);
      if (key.isEmpty()) {
        return done(HttpResponses.error(HttpResponseStatus.UNAUTHORIZED, HttpResponses.UNAUTHORIZED, "not signed in"));
      }
      FullHttpResponse r = HttpResponses.json(HttpResponseStatus.OK, sessionJson(key.get(), s.get()));
      r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      return done(r);
    }
    if (HttpMethod.DELETE.equals(method)) {
      sessions.end(sessionToken(request));
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
      r.headers().set(HttpHeaderNames.SET_COOKIE, Sessions.cookie(null));
      return done(r);
    }
    return done(methodNotAllowed(method, "/api/v1/session", "GET, HEAD, POST, DELETE"));
  }

  private ObjectNode sessionJson(ApiKey key, Sessions.Session s) {
    return HttpResponses.JSON.createObjectNode().put("tenant", tenantName(key.tenant()))
        .put("role", key.role().wireName()).put("key_id", key.id()).put("name", key.name())
        .put("expires", s.expires().toString());
  }

  private static JsonNode jsonBody(byte[] body) throws BadParam {
    try {
      JsonNode n = body == null || body.length == 0 ? null : HttpResponses.JSON.readTree(body);
      if (n == null || !n.isObject()) {
        throw new BadParam(HttpResponses.INVALID_JSON, "expected a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new BadParam(HttpResponses.INVALID_JSON, e instanceof com.fasterxml.jackson.core.JsonProcessingException j
          ? io.logd.parse.json.JsonEventParser.describe(j) : e.getMessage());
    }
  }

  private FullHttpResponse listTenants(ApiKey key, QueryStringDecoder qs, byte[] payload) {
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    ArrayNode list = body.putArray("tenants");
    for (Tenant t : logd.keys().tenants()) {
      if (operator(key) || t.id() == key.tenant()) {
        list.addObject().put("name", t.name()).put("created", t.created().toString());
      }
    }
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  private FullHttpResponse createTenant(ApiKey key, QueryStringDecoder qs, byte[] payload) throws BadParam, IOException {
    if (!operator(key)) {
      return HttpResponses.error(HttpResponseStatus.FORBIDDEN, HttpResponses.FORBIDDEN,
          "only admins of tenant default create tenants");
    }
    try {
      Tenant t = logd.keys().createTenant(jsonBody(payload).path("name").asText(null));
      return HttpResponses.json(HttpResponseStatus.CREATED,
          HttpResponses.JSON.createObjectNode().put("name", t.name()).put("created", t.created().toString()));
    } catch (KeyStoreException e) {
      throw new BadParam(HttpResponses.BAD_REQUEST, e.getMessage());
    }
  }

  private FullHttpResponse createKey(ApiKey key, QueryStringDecoder qs, byte[] payload) throws BadParam, IOException {
    JsonNode req = jsonBody(payload);
    String tenant = req.path("tenant").asText(tenantName(key.tenant()));
    Optional<Tenant> target = logd.keys().tenant(tenant);
    if (target.isEmpty() || (!operator(key) && target.get().id() != key.tenant())) {
      return HttpResponses.error(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND, "no tenant '" + HttpResponses.clip(tenant) + "'");
    }
    Role role = Role.parse(req.path("role").asText(null));
    if (role == null) {
      throw new BadParam(HttpResponses.BAD_REQUEST, "role: expected admin, ingest or read");
    }
    try {
      KeyStore.CreatedKey created = logd.keys().createKey(tenant, role, req.path("name").asText(""));
      ObjectNode body = keyJson(created.key());
      body.put("key", created.secret());
      return HttpResponses.json(HttpResponseStatus.CREATED, body);
    } catch (KeyStoreException e) {
      throw new BadParam(HttpResponses.BAD_REQUEST, e.getMessage());
    }
  }

  private FullHttpResponse listKeys(ApiKey key, QueryStringDecoder qs, byte[] payload) {
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    ArrayNode list = body.putArray("keys");
    for (Tenant t : logd.keys().tenants()) {
      if (operator(key) || t.id() == key.tenant()) {
        logd.keys().keys(t.id()).forEach(k -> list.add(keyJson(k)));
      }
    }
    return HttpResponses.json(HttpResponseStatus.OK, body);
  }

  private FullHttpResponse revokeKey(ApiKey key, String id) throws IOException {
    for (Tenant t : logd.keys().tenants()) {
      if (operator(key) || t.id() == key.tenant()) {
        Optional<ApiKey> revoked = logd.keys().revoke(t.id(), id);
        if (revoked.isPresent()) {
          return HttpResponses.json(HttpResponseStatus.OK, keyJson(revoked.get()));
        }
      }
    }
    return HttpResponses.error(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND, "no such key");
  }

  private ObjectNode keyJson(ApiKey k) {
    ObjectNode n = HttpResponses.JSON.createObjectNode();
    n.put("id", k.id()).put("tenant", tenantName(k.tenant())).put("role", k.role().wireName())
        .put("name", k.name()).put("created", k.created().toString());
    n.put("revoked", k.revoked() == null ? null : k.revoked().toString());
    return n;
  }

  private String tenantName(int tenant) {
    return logd.keys().tenant(tenant).map(Tenant::name).orElse(Integer.toString(tenant));
  }

  static String param(QueryStringDecoder qs, String name) {
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
      health = new Health(false, false, false, -1, false);
    }
    boolean ok = health.ok();
    ObjectNode body = HttpResponses.JSON.createObjectNode();
    body.put("status", ok ? "ok" : "degraded");
    body.put("store", health.storeOk() ? "ok" : "error");
    body.put("index", health.indexOk() ? "ok" : "error");
    body.put("rollups", logd.rollups().isEmpty() ? "off" : health.rollupsOk() ? "ok" : "error");
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
