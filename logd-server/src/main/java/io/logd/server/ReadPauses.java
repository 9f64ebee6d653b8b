package io.logd.server;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The reasons a connection has stopped reading. Several handlers pause a connection for their own
 * reasons; it reads again only when none is left, so one handler's resume never overrides another's
 * pause. Call on the channel's event loop only.
 */
final class ReadPauses {
  /** Too many requests of this connection are waiting for their answers. */
  static final int PIPELINE = 1;
  /** The next request's body waits for memory (see {@link BodyMemory}). */
  static final int BODY_MEMORY = 2;

  private static final AttributeKey<int[]> REASONS = AttributeKey.valueOf("logd.readPauses");

  private ReadPauses() {}

  static void pause(Channel channel, int reason) {
    reasons(channel)[0] |= reason;
    channel.config().setAutoRead(false);
  }

  static void resume(Channel channel, int reason) {
    int[] reasons = reasons(channel);
    reasons[0] &= ~reason;
    if (reasons[0] == 0 && !channel.config().isAutoRead()) {
      channel.config().setAutoRead(true);
    }
  }

  private static int[] reasons(Channel channel) {
    int[] reasons = channel.attr(REASONS).get();
    if (reasons == null) {
      reasons = new int[1];
      channel.attr(REASONS).set(reasons);
    }
    return reasons;
  }
}
