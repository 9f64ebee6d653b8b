package io.logd.server;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the API cannot answer as asked: answered with its status (400 unless said), code and message. */
final class BadParam extends Exception {
  private static final long serialVersionUID = 1L;
  final transient HttpResponseStatus status;
  final String code;

  BadParam(String code, String message) {
    this(HttpResponseStatus.BAD_REQUEST, code, message);
  }

  BadParam(HttpResponseStatus status, String code, String message) {
    super(message, null, false, false); // no stack trace: this is an answer, not a bug
    this.status = status;
    this.code = code;
  }
}
