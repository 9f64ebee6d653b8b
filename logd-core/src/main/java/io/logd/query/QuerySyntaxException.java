package io.logd.query;

/**
 * A query that cannot be parsed or is too big to run. The message names the problem and its
 * 0-based character position in the query text, e.g. {@code expected ')' at position 17}; the HTTP
 * layer answers it with 400.
 */
public final class QuerySyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final int position;

  /**
   * @param reason what is wrong, without the position ({@code expected ')'})
   * @param position 0-based char index in the query text; 0 for problems of the whole query
   */
  public QuerySyntaxException(String reason, int position) {
    super(reason + " at position " + position);
    this.reason = reason;
    this.position = position;
  }

  /** What is wrong, without the position. */
  public String reason() {
    return reason;
  }

  /** The 0-based char index in the query text where the problem is. */
  public int position() {
    return position;
  }
}
