package io.logd.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.Facility;
import io.logd.event.FieldValue;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.testing.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private final EventCodec codec = new EventCodec();

  private LogEvent roundTrip(LogEvent e) {
    byte[] bytes = codec.encode(e);
    assertEquals(EventCodec.FORMAT_V1, bytes[0], "format byte first");
    return codec.decode(e.timestampNanos(), bytes);
  }

  @Test
  void everyPartSurvives() {
    LogEvent e =
        LogEvent.builder()
            .timestampNanos(1_795_000_000_123_456_789L)
            .receivedNanos(1_795_000_000_200_000_000L)
            .host("web-1")
            .service("nginx")
            .level(Severity.WARN)
            .facility(Facility.LOCAL7)
            .message("GET /index.html 200")
            .field("status", 200)
            .field("latency_ms", 12.5)
            .field("cached", true)
            .field("client_ip", "10.1.2.3")
            .field("ports", new FieldValue.ListValue(List.of(FieldValue.of(80), FieldValue.of(443))))
            .field("neg", -42)
            .field("min", Long.MIN_VALUE)
            .tag("edge")
            .tag("eu")
            .build();
    assertEquals(e, roundTrip(e));
  }

  @Test
  void absentPartsStayAbsent() {
    LogEvent e = LogEvent.builder().timestampNanos(5).receivedNanos(5).message("").build();
    LogEvent back = roundTrip(e);
    assertEquals(e, back);
    assertEquals(null, back.host());
    assertEquals(null, back.level());
    assertTrue(back.fields().isEmpty());
    assertEquals("", back.message());
  }

  @Test
  void unicodeEverywhere() {
    LogEvent e =
        LogEvent.builder()
            .timestampNanos(1L)
            .receivedNanos(0L) // received before the event time: a negative delta
            .host("хост-1")
            .service("サービス")
            .message("naïve café 😀 \u0000 null byte, RTL \u05e9\u05dc\u05d5\u05dd, BOM \ufeff")
            .field("emoji😀", "🙈🙉🙊")
            .field("ключ", "значение")
            .tag("标签")
            .build();
    assertEquals(e, roundTrip(e));
  }

  @Test
  void stringsAreWrittenByteForByteAsLuceneWritesThem() throws Exception {
    long seed = System.nanoTime();
    System.out.println("EventCodecTest strings seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    // ASCII with '?', Latin-1, CJK, valid pairs and unpaired surrogates of both halves
    char[] alphabet = {'a', 'Z', '0', ' ', '/', '?', '\u00e9', '\u00ff', '\u4e2d', '\ud83d', '\ude00', '\u0000', '\u007f'};
    for (int round = 0; round < 2_000; round++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(40);
      boolean ascii = rnd.nextBoolean();
      for (int i = 0; i < n; i++) {
        char c = alphabet[rnd.nextInt(ascii ? 6 : alphabet.length)];
        sb.append(c);
        if (c == '\ud83d' && rnd.nextBoolean()) {
          sb.append('\ude00'); // a valid pair
        }
      }
      String text = sb.toString();
      org.apache.lucene.store.ByteBuffersDataOutput ours = new org.apache.lucene.store.ByteBuffersDataOutput();
      org.apache.lucene.store.ByteBuffersDataOutput lucenes = new org.apache.lucene.store.ByteBuffersDataOutput();
      codec.writeString(ours, text);
      lucenes.writeString(text);
      assertArrayEquals(lucenes.toArrayCopy(), ours.toArrayCopy(), "seed " + seed + " text " + text.chars().boxed().toList());
    }
    // past the scratch arrays' cap, Lucene encodes it directly: the same bytes
    String longText = "a?\u00e9\ud83d".repeat(6_000);
    org.apache.lucene.store.ByteBuffersDataOutput ours = new org.apache.lucene.store.ByteBuffersDataOutput();
    org.apache.lucene.store.ByteBuffersDataOutput lucenes = new org.apache.lucene.store.ByteBuffersDataOutput();
    codec.writeString(ours, longText);
    lucenes.writeString(longText);
    assertArrayEquals(lucenes.toArrayCopy(), ours.toArrayCopy());
  }

  @Test
  void anUnpairedSurrogateIsStoredAsTheReplacementCharacter() {
    LogEvent e = LogEvent.builder().timestampNanos(1L).receivedNanos(1L).message("half \ud83d of an emoji").build();
    assertEquals("half \ufffd of an emoji", roundTrip(e).message());
    LogEvent ascii = LogEvent.builder().timestampNanos(1L).receivedNanos(1L).message("plain ascii ?").build();
    assertEquals("plain ascii ?", roundTrip(ascii).message());
  }

  @Test
  void oneMebibyteField() {
    char[] big = new char[1 << 20];
    Arrays.fill(big, 'x');
    big[12345] = 'é';
    LogEvent e = LogEvent.builder().timestampNanos(7).receivedNanos(7).field("blob", new String(big)).build();
    LogEvent back = roundTrip(e);
    assertEquals(e, back);
    assertEquals(1 << 20, ((FieldValue.StringValue) back.fields().get("blob")).value().length());
  }

  @Test
  void manyFieldsKeepTheirOrder() {
    Map<String, FieldValue> fields = new LinkedHashMap<>();
    for (int i = 0; i < 5000; i++) {
      fields.put("field_" + (4999 - i), i % 3 == 0 ? FieldValue.of(i) : FieldValue.of("v" + i));
    }
    LogEvent e = new LogEvent(9, 9, "h", "s", Severity.INFO, null, "m", fields, List.of());
    LogEvent back = roundTrip(e);
    assertEquals(e, back);
    assertEquals(List.copyOf(fields.keySet()), List.copyOf(back.fields().keySet()));
  }

  @Test
  void doublesKeepTheirBits() {
    for (double d : new double[] {0.0, -0.0, Double.NaN, Double.MIN_VALUE, Double.MAX_VALUE, 1e-300, Double.NEGATIVE_INFINITY}) {
      LogEvent e = LogEvent.builder().timestampNanos(1).receivedNanos(1).field("d", d).build();
      double back = ((FieldValue.DoubleValue) roundTrip(e).fields().get("d")).value();
      assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(back));
    }
  }

  @Test
  void randomEventsRoundTrip() {
    long seed = System.nanoTime();
    System.out.println("EventCodecTest.randomEventsRoundTrip seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < 10_000; i++) {
      LogEvent e = TestEvents.nginx(rnd, rnd.nextLong(0, Long.MAX_VALUE / 2), i);
      assertEquals(e, roundTrip(e), "seed " + seed + " event " + i);
    }
  }

  @Test
  void unknownFormatIsReportedNotMisread() {
    byte[] bytes = codec.encode(LogEvent.builder().timestampNanos(1).receivedNanos(1).message("x").build());
    bytes[0] = 99;
    CorruptEventException e = assertThrows(CorruptEventException.class, () -> codec.decode(1, bytes));
    assertTrue(e.getMessage().contains("format byte 99"), e.getMessage());
  }

  @Test
  void truncatedValueIsCorrupt() {
    byte[] bytes = codec.encode(LogEvent.builder().timestampNanos(1).receivedNanos(1).message("hello").field("a", "b")
        .field("list", new FieldValue.ListValue(List.of(FieldValue.of(1), FieldValue.of("x")))).tag("t").build());
    for (int len = 0; len < bytes.length; len++) {
      byte[] cut = Arrays.copyOf(bytes, len);
      assertThrows(CorruptEventException.class, () -> codec.decode(1, cut), "length " + len);
      assertThrows(CorruptEventException.class, () -> codec.read(cut), "length " + len);
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(CorruptEventException.class, () -> codec.read(longer));
  }

  /** Reading in place gives every part where decoding finds it: strings as their UTF-8 bytes. */
  @Test
  void readInPlaceAgreesWithDecode() {
    LogEvent e = LogEvent.builder().timestampNanos(5).receivedNanos(9).host("h\u00e9").service("svc").level(Severity.ERROR)
        .facility(Facility.LOCAL7).message("m \ud83d\ude00").field("s", "v").field("n", -3).field("d", 1.5)
        .field("b", false).field("l", new FieldValue.ListValue(List.of(FieldValue.of("a"), FieldValue.of(2))))
        .tag("t1").tag("t2").build();
    EncodedEvent v = codec.read(codec.encode(e));
    byte[] b = v.bytes();
    assertEquals(4, v.receivedDelta());
    assertEquals(Severity.ERROR, v.level());
    assertEquals(Facility.LOCAL7, v.facility());
    assertEquals("h\u00e9", new String(b, v.hostOffset(), v.hostLength(), StandardCharsets.UTF_8));
    assertEquals(3, v.hostLength(), "the UTF-8 length, not the chars");
    assertEquals("svc", v.string(v.serviceOffset(), v.serviceLength()));
    assertEquals("m \ud83d\ude00", v.string(v.messageOffset(), v.messageLength()));
    assertEquals(5, v.fieldCount());
    List<String> names = new ArrayList<>();
    List<FieldValue> values = new ArrayList<>();
    for (int i = 0; i < v.fieldCount(); i++) {
      names.add(v.name(i));
      values.add(v.fieldValue(i));
    }
    assertEquals(List.copyOf(e.fields().keySet()), names);
    assertEquals(List.copyOf(e.fields().values()), values);
    assertEquals(EncodedEvent.Kind.STRING, v.kind(0));
    assertEquals("v", v.string(v.stringOffset(0), v.stringLength(0)));
    assertEquals(-3, v.longValue(1));
    assertEquals(1.5, v.doubleValue(2));
    assertEquals(EncodedEvent.Kind.FALSE, v.kind(3));
    assertEquals(EncodedEvent.Kind.LIST, v.kind(4));
    assertEquals(2, v.tagCount());
    assertEquals("t2", v.string(v.tagOffset(1), v.tagLength(1)));

    EncodedEvent bare = codec.read(codec.encode(LogEvent.builder().timestampNanos(1).receivedNanos(1).build()));
    assertEquals(-1, bare.hostOffset());
    assertEquals(-1, bare.serviceOffset());
    assertEquals(null, bare.level());
    assertEquals(0, bare.messageLength());
    assertEquals(0, bare.fieldCount());
    assertEquals(0, bare.tagCount());
  }

  @Test
  void encodingIsDeterministic() {
    LogEvent e = TestEvents.nginx(new SplittableRandom(1), 1000, 1);
    assertArrayEquals(codec.encode(e), new EventCodec().encode(e));
  }
}
