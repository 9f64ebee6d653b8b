package io.logd.server;

import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;

/**
 * gzip (or deflate) for answers when the client accepts it, except Server-Sent Events, where a
 * compressor's buffering would hold events back, and small answers, where it costs more than it
 * saves.
 */
final class ResponseCompressor extends HttpContentCompressor {
  ResponseCompressor() {
    // 1 KiB: the size below which answers go as they are. gzip and deflate only: they need no
    // native library.
    super(1024, StandardCompressionOptions.gzip(), StandardCompressionOptions.deflate());
  }

  @Override
  protected Result beginEncode(HttpResponse response, String acceptEncoding) throws Exception {
    String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    if (type.startsWith("text/event-stream")) {
      return null;
    }
    return super.beginEncode(response, acceptEncoding);
  }
}
