/**
 * Parsers that turn what senders ship into {@link io.logd.event.LogEvent}s. Each parser returns a
 * {@link io.logd.parse.ParseResult} and never throws for bad input, so one malformed line costs no
 * exception on the hot path. Sub-packages hold one format each ({@code json}, {@code nginx},
 * {@code logfmt}, {@code xray}); message-body formats implement {@link io.logd.parse.BodyParser}.
 *
 * <p>Depends only on {@code io.logd.event} (and Jackson for JSON).
 */
package io.logd.parse;
