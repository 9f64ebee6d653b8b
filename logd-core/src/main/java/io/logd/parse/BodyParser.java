package io.logd.parse;

import io.logd.event.LogEvent;

/**
 * Reads a message body in one format (nginx, JSON, logfmt, xray, ...) and adds what it holds to an
 * event being built. Implementations never throw for bad input and are not required to be
 * thread-safe; use one per thread.
 */
public interface BodyParser {

  /**
   * Reads {@code body}. On success, sets on {@code event} the fields the body holds (and its time,
   * level or message when the format carries them) and returns null. Otherwise returns why the body
   * is not in this format, e.g. {@code nginx: expected '"' before the request at column 31}, and
   * leaves {@code event} unchanged.
   */
  String parse(String body, LogEvent.Builder event);

  /**
   * A cheap test, for format detection, of whether {@code body} looks like this format. It may
   * accept lines that {@link #parse} then refuses, but it should rarely refuse lines that parse.
   */
  boolean looksLike(String body);
}
