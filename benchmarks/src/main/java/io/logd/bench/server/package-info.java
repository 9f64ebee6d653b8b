/** Load against a running logd server over HTTP, as shippers and dashboards would apply it. */
package io.logd.bench.server;
