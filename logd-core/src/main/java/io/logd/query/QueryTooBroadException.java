package io.logd.query;

/**
 * A query that would take too much work to answer exactly, such as a pattern whose pieces leave
 * more stored messages to check than {@link VerifiedPatternQuery#MAX_CHECKS}. The message says what
 * to narrow; the HTTP layer answers it with 400, like a {@link QuerySyntaxException}.
 */
public final class QueryTooBroadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  QueryTooBroadException(String message) {
    super(message);
  }
}
