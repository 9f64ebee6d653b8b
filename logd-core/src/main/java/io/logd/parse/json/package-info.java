/**
 * JSON events as the HTTP API receives them: field aliases, nested objects flattened with dots,
 * arrays of scalars kept multi-valued. See {@link io.logd.parse.json.JsonEventParser}.
 */
package io.logd.parse.json;
