/**
 * Parsers that turn what senders ship into {@link io.logd.event.LogEvent}s. None throws for bad
 * input, so one malformed line costs no exception on the hot path: whole-event parsers return a
 * sealed result ({@link io.logd.parse.ParseResult}, {@code SyslogParser.Result}), and message-body
 * parsers implement {@link io.logd.parse.BodyParser}. Sub-packages hold one format each:
 * {@code syslog} (RFC 5424 and RFC 3164 headers), {@code json} (events, batches, Elasticsearch
 * {@code _bulk}, JSON and {@code @cee:} bodies), {@code nginx}, {@code logfmt} and {@code xray}.
 *
 * <p>{@link io.logd.parse.EventReader} puts them together for the syslog listeners and file import:
 * header, then the body format a rule or detection picks, and whatever fails kept raw with
 * {@code parse_error}.
 *
 * <p>Depends only on {@code io.logd.event} (and Jackson for JSON).
 */
package io.logd.parse;
