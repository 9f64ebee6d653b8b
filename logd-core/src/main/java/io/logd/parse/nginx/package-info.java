/**
 * nginx access lines as message bodies: {@code combined}, {@code common}, combined with appended
 * fields, and JSON {@code log_format}s. See {@link io.logd.parse.nginx.NginxParser}.
 */
package io.logd.parse.nginx;
