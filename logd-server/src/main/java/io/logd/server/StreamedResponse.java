package io.logd.server;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;

/**
 * An answer whose body is produced while it is sent (chunked transfer encoding). Only the status
 * and headers of this response are used; {@link HttpApiHandler} runs the producer on a virtual
 * thread, which blocks while the connection is not writable, so memory stays constant however
 * large the body and the event loop never waits.
 */
final class StreamedResponse extends DefaultFullHttpResponse {

  /** Writes body chunks; {@link Sink#write} blocks while the client is not keeping up. */
  @FunctionalInterface
  interface Producer {
    void produce(Sink sink) throws IOException;
  }

  interface Sink {
    void write(byte[] chunk) throws IOException;

    /** False once the client has gone; endless producers check it between writes. */
    boolean open();
  }

  private final Producer producer;

  StreamedResponse(String contentType, Producer producer) {
    super(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
    this.producer = producer;
    headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
  }

  Producer producer() {
    return producer;
  }
}
