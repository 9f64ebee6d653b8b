package io.logd.server.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SyslogFrameDecoderTest {

  private static List<SyslogFrameDecoder.Frame> decode(int maxFrame, byte[]... chunks) {
    EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(maxFrame));
    for (byte[] c : chunks) {
      ch.writeInbound(Unpooled.wrappedBuffer(c));
    }
    ch.finish();
    List<SyslogFrameDecoder.Frame> out = new ArrayList<>();
    for (Object o; (o = ch.readInbound()) != null; ) {
      out.add((SyslogFrameDecoder.Frame) o);
    }
    return out;
  }

  private static List<SyslogFrameDecoder.Frame> decode(int maxFrame, String stream) {
    return decode(maxFrame, stream.getBytes(StandardCharsets.UTF_8));
  }

  private static SyslogFrameDecoder.Frame f(String text) {
    return new SyslogFrameDecoder.Frame(text, false);
  }

  @Test
  void lfCrlfAndNulDelimitedMessages() {
    assertEquals(List.of(f("<13>a"), f("<13>b"), f("<13>c")), decode(1024, "<13>a\n<13>b\r\n<13>c\0"));
  }

  @Test
  void octetCountingPerRfc6587AndMixedWithLfInOneStream() {
    String m1 = "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed";
    String m2 = "<13>Oct 11 22:14:15 host app: with\nembedded newline";
    String stream = m1.length() + " " + m1 + m2.getBytes(StandardCharsets.UTF_8).length + " " + m2
        + "<13>Oct 11 22:14:15 host app: lf framed\n";
    assertEquals(List.of(f(m1), f(m2), f("<13>Oct 11 22:14:15 host app: lf framed")), decode(1024, stream));
  }

  @Test
  void digitsWithoutASpaceAreNotAnOctetCount() {
    // RFC 3164 without PRI and with an ISO timestamp starts with digits.
    String m = "2026-11-23T10:00:00Z host app: no pri";
    assertEquals(List.of(f(m)), decode(1024, m + "\n"));
  }

  @Test
  void separatorsBetweenMessagesAreSkipped() {
    assertEquals(List.of(f("<13>a"), f("<13>b")), decode(1024, "\n\r\n\0<13>a\n\n\n<13>b\n"));
  }

  @Test
  void anOversizedLfMessageIsTruncatedAndTheNextOneSurvives() {
    String big = "<13>" + "x".repeat(100);
    List<SyslogFrameDecoder.Frame> out = decode(16, big + "\n<13>next\n");
    assertEquals(List.of(new SyslogFrameDecoder.Frame(big.substring(0, 16), true), f("<13>next")), out);
  }

  @Test
  void anOversizedCountedMessageIsTruncatedAndTheRestSkippedByCount() {
    String big = "<13>" + "y\n".repeat(50); // newlines inside must not resync early
    String stream = big.length() + " " + big + "9 <13>after";
    assertEquals(List.of(new SyslogFrameDecoder.Frame(big.substring(0, 16), true), f("<13>after")),
        decode(16, stream));
  }

  @Test
  void aMessageExactlyAtTheLimitIsWhole() {
    String m = "<13>" + "z".repeat(12);
    assertEquals(List.of(f(m), f(m)), decode(16, m + "\n" + m.length() + " " + m));
  }

  @Test
  void whatIsLeftWhenThePeerClosesIsKept() {
    assertEquals(List.of(f("<13>no trailing newline")), decode(1024, "<13>no trailing newline"));
    assertEquals(List.of(new SyslogFrameDecoder.Frame("<13>cut", true)), decode(1024, "40 <13>cut"));
  }

  @Test
  void utf8IsDecodedEvenWhenSplitAcrossReads() {
    byte[] all = "<13>héllo wörld ✓\n".getBytes(StandardCharsets.UTF_8);
    byte[] a = java.util.Arrays.copyOfRange(all, 0, 6);
    byte[] b = java.util.Arrays.copyOfRange(all, 6, all.length);
    assertEquals(List.of(f("<13>héllo wörld ✓")), decode(1024, a, b));
  }

  @Test
  void randomChunkingNeverChangesTheFrames() {
    long seed = System.nanoTime();
    System.out.println("SyslogFrameDecoderTest seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int round = 0; round < 200; round++) {
      StringBuilder stream = new StringBuilder();
      List<SyslogFrameDecoder.Frame> expected = new ArrayList<>();
      int n = 1 + rnd.nextInt(30);
      for (int i = 0; i < n; i++) {
        int len = rnd.nextInt(1, 120);
        String body = "<" + rnd.nextInt(192) + ">" + "m".repeat(len) + i;
        boolean counted = rnd.nextBoolean();
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (counted) {
          stream.append(bytes).append(' ').append(body);
        } else {
          stream.append(body).append(rnd.nextBoolean() ? "\n" : "\r\n");
        }
        expected.add(bytes > 64
            ? new SyslogFrameDecoder.Frame(body.substring(0, 64), true)
            : f(body));
      }
      byte[] all = stream.toString().getBytes(StandardCharsets.UTF_8);
      List<byte[]> chunks = new ArrayList<>();
      for (int at = 0; at < all.length; ) {
        int size = Math.min(all.length - at, 1 + rnd.nextInt(50));
        chunks.add(java.util.Arrays.copyOfRange(all, at, at + size));
        at += size;
      }
      assertEquals(expected, decode(64, chunks.toArray(new byte[0][])), "seed " + seed + " round " + round);
    }
  }

  @Test
  void emptyStreamGivesNothing() {
    EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(16));
    ch.finish();
    assertNull(ch.readInbound());
  }
}
