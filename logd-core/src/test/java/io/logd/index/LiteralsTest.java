package io.logd.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.SplittableRandom;
import org.apache.lucene.document.InetAddressPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LiteralsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      10.1.2.3 | 4 | 10.1.2.3
      0.0.0.0 | 4 | 0.0.0.0
      255.255.255.255 | 4 | 255.255.255.255
      ::1 | 6 | ::1
      :: | 6 | ::
      2001:db8::1 | 6 | 2001:db8::1
      2001:DB8:0:0:0:0:0:1 | 6 | 2001:db8::1
      2001:0db8:0000:0000:0001:0000:0000:0001 | 6 | 2001:db8::1:0:0:1
      2001:db8:0:1:1:1:1:1 | 6 | 2001:db8:0:1:1:1:1:1
      fe80::1:2 | 6 | fe80::1:2
      1:: | 6 | 1::
      ::ffff:10.1.2.3 | 6 | 10.1.2.3
      ::ffff:0a01:0203 | 6 | 10.1.2.3
      64:ff9b::192.0.2.33 | 6 | 64:ff9b::c000:221
      1:2:3:4:5:6:7:8 | 6 | 1:2:3:4:5:6:7:8
      """)
  void parsesAndFormatsAddresses(String text, int version, String canonical) {
    byte[] ip = new byte[16];
    assertEquals(version, Literals.parseIp(text, ip));
    assertEquals(canonical, Literals.formatIp(ip));
    assertArrayEquals(InetAddressPoint.encode(Literals.toInetAddress(ip)), ip);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "1", "10.1.2", "10.1.2.3.4", "256.1.1.1", "010.1.2.3", "10.1.2.3 ", " 10.1.2.3", "1.2.3.-4", "a.b.c.d",
    "::1::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "fe80::1%eth0", "[::1]", ":1", "1:", "g::1",
    "::ffff:10.1.2", "1.2.3.4::", "localhost", "example.com", "１.２.３.４"
  })
  void refusesWhatIsNotAnAddress(String text) {
    assertEquals(0, Literals.parseIp(text, new byte[16]), text);
  }

  /** Random addresses: Java's text form parses to the same bytes, and ours round-trips. */
  @Test
  void randomAddressesRoundTrip() throws Exception {
    long seed = System.nanoTime();
    System.out.println("LiteralsTest.randomAddressesRoundTrip seed=" + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < 20_000; i++) {
      byte[] raw = new byte[16];
      for (int b = 0; b < 16; b++) {
        // many zero groups, to exercise "::"
        raw[b] = rnd.nextInt(3) == 0 ? 0 : (byte) rnd.nextInt(256);
      }
      if (rnd.nextInt(4) == 0) {
        raw = InetAddressPoint.encode(InetAddress.getByAddress(new byte[] {
          (byte) rnd.nextInt(256), (byte) rnd.nextInt(256), (byte) rnd.nextInt(256), (byte) rnd.nextInt(256)}));
      }
      byte[] expected = InetAddressPoint.encode(InetAddress.getByAddress(raw));
      String java = InetAddress.getByAddress(raw).getHostAddress();
      byte[] parsed = new byte[16];
      assertEquals(java.contains(":") ? 6 : 4, Literals.parseIp(java, parsed), "seed=" + seed + " " + java);
      assertArrayEquals(expected, parsed, "seed=" + seed + " " + java);
      String ours = Literals.formatIp(parsed);
      byte[] again = new byte[16];
      Literals.parseIp(ours, again);
      assertArrayEquals(expected, again, "seed=" + seed + " " + ours);
      assertEquals(ours, Literals.formatIp(again));
    }
  }

  @Test
  void parsesNumbersStrictly() {
    assertEquals(500L, Literals.parseLong("500"));
    assertEquals(-7L, Literals.parseLong("-7"));
    assertEquals(7L, Literals.parseLong("+7"));
    assertEquals(Long.MAX_VALUE, Literals.parseLong("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, Literals.parseLong("-9223372036854775808"));
    assertNull(Literals.parseLong("9223372036854775808"));
    assertNull(Literals.parseLong("1.0"));
    assertNull(Literals.parseLong("1_000"));
    assertNull(Literals.parseLong("-"));
    assertNull(Literals.parseLong(" 1"));
    assertNull(Literals.parseLong("١٢"));
    assertEquals(0.25, Literals.parseDouble("0.25"));
    assertEquals(-0.5, Literals.parseDouble("-.5"));
    assertEquals(1000.0, Literals.parseDouble("1e3"));
    assertEquals(12.0, Literals.parseDouble("12."));
    assertNull(Literals.parseDouble("NaN"));
    assertNull(Literals.parseDouble("Infinity"));
    assertNull(Literals.parseDouble("0x1p3"));
    assertNull(Literals.parseDouble("1d"));
    assertNull(Literals.parseDouble("1e"));
    assertNull(Literals.parseDouble("."));
    assertNull(Literals.parseDouble("abc"));
  }
}
