package io.logd.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.UncheckedIOException;

/** JSON answers, and the one error shape of API.md: {@code {"error":{"code":…,"message":…}}}. */
final class HttpResponses {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String JSON_TYPE = "application/json; charset=utf-8";

  /** Error codes used by more than one handler. */
  static final String NOT_FOUND = "not_found";
  static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  static final String BAD_REQUEST = "bad_request";
  static final String BODY_TOO_LARGE = "body_too_large";
  static final String OVERLOADED = "overloaded";
  static final String DISK_FULL = "disk_full";
  static final String RATE_LIMITED = "rate_limited";
  static final String UNAUTHORIZED = "unauthorized";
  static final String FORBIDDEN = "forbidden";
  static final String INVALID_JSON = "invalid_json";
  static final String INVALID_QUERY = "invalid_query";
  static final String QUERY_TOO_BROAD = "query_too_broad";
  static final String INVALID_TIME = "invalid_time";
  static final String UNAVAILABLE = "unavailable";
  static final String INTERNAL = "internal";

  private HttpResponses() {}

  /** A response whose body is {@code body} serialized as JSON, with its Content-Length set. */
  static FullHttpResponse json(HttpResponseStatus status, Object body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON_TYPE);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return response;
  }

  /** An error response: {@code {"error":{"code":code,"message":message}}}. */
  static FullHttpResponse error(HttpResponseStatus status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    return json(status, body);
  }

  /** 400 for a query that does not parse: the error carries the 0-based {@code position} too. */
  static FullHttpResponse invalidQuery(String message, int position) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", INVALID_QUERY);
    error.put("message", message);
    error.put("position", position);
    return json(HttpResponseStatus.BAD_REQUEST, body);
  }

  /** 503 with {@code Retry-After}, as API.md asks of every 503. */
  static FullHttpResponse unavailable(String code, String message, int retryAfterSeconds) {
    FullHttpResponse response = error(HttpResponseStatus.SERVICE_UNAVAILABLE, code, message);
    response.headers().setInt(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
    return response;
  }

  static FullHttpResponse tooLarge(long maxBodyBytes) {
    return error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, BODY_TOO_LARGE,
        "request body is larger than http.max_body_bytes (" + maxBodyBytes + " bytes)");
  }

  /** Shortens client-supplied text (paths, methods) before it is echoed in a message. */
  static String clip(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
