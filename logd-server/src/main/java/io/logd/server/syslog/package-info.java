/**
 * Syslog listeners: UDP (one message per datagram, read on a thread of its own into one reused
 * buffer), and Netty channels for TCP with RFC 6587 framing detected per message (octet counting
 * or LF) and for TLS (RFC 5425). Each listener admits only its allowed source blocks,
 * reads messages with {@link io.logd.parse.EventReader}, and offers them in batches to the ingest
 * pipeline for its tenant. Under backpressure TCP and TLS stop reading their connections; UDP,
 * which cannot push back, drops and counts.
 *
 * <p>{@link io.logd.server.syslog.SyslogListeners} is the entry point; everything else is
 * package-private.
 */
package io.logd.server.syslog;
