/**
 * logfmt ({@code key=value}) message bodies, typed and with the usual message, level and time keys.
 * See {@link io.logd.parse.logfmt.LogfmtParser}.
 */
package io.logd.parse.logfmt;
