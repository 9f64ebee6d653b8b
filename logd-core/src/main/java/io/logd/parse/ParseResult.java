package io.logd.parse;

import io.logd.event.LogEvent;

/** What a parser made of one input: an event, or the reason it could not make one. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Rejected {

  /** A usable event. */
  record Parsed(LogEvent event) implements ParseResult {}

  /**
   * An input that yields no event. {@code reason} is for the sender, e.g.
   * {@code timestamp: cannot parse 'yesterday'}.
   */
  record Rejected(String reason) implements ParseResult {}
}
