/**
 * JSON events as the HTTP API receives them: field aliases, nested objects flattened with dots,
 * arrays of scalars kept multi-valued. See {@link io.logd.parse.json.JsonEventParser}; JSON
 * message bodies (bare or after {@code @cee:}) follow the same rules in
 * {@link io.logd.parse.json.JsonBodyParser}.
 */
package io.logd.parse.json;
