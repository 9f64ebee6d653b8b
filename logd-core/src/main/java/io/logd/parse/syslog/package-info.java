/**
 * Syslog headers, RFC 5424 and RFC 3164 with real-world deviations (ISO timestamps, missing PRI,
 * hostname or year). See {@link io.logd.parse.syslog.SyslogParser}; the MSG it returns goes on to
 * a {@link io.logd.parse.BodyParser}.
 */
package io.logd.parse.syslog;
