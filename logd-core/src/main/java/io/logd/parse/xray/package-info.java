/**
 * xray-core (and v2ray) access log lines as message bodies: who connected where, through which
 * route, accepted or rejected. See {@link io.logd.parse.xray.XrayParser}.
 */
package io.logd.parse.xray;
