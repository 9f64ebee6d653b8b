package io.logd.parse.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenCacheTest {

  @Test
  void alwaysTheExactTextAndOneStringForRepeats() {
    TokenCache cache = new TokenCache();
    String line = "web-1.example.com timeQuality tzKnown";
    char[] buf = line.toCharArray();
    String host = cache.get(line, buf, 0, 17);
    assertEquals("web-1.example.com", host);
    assertSame(host, cache.get(new String(line), buf, 0, 17));
    int h = TokenCache.hash(0, buf, 18, 29);
    assertEquals("timeQuality".hashCode(), h);
    String name = cache.dotted(buf, 18, 29, h, 30, 37);
    assertEquals("timeQuality.tzKnown", name);
    assertSame(name, cache.dotted(buf, 18, 29, h, 30, 37));
  }

  @Test
  void collisionsAndLongTokensStayCorrect() {
    TokenCache cache = new TokenCache();
    SplittableRandom rnd = new SplittableRandom(11);
    for (int i = 0; i < 100_000; i++) {
      char[] buf = new char[rnd.nextInt(1, 150)];
      for (int k = 0; k < buf.length; k++) {
        buf[k] = (char) ('a' + rnd.nextInt(3)); // few letters: many equal tokens and collisions
      }
      String s = new String(buf);
      int a = rnd.nextInt(buf.length);
      int b = rnd.nextInt(a, buf.length + 1);
      assertEquals(s.substring(a, b), cache.get(s, buf, a, b));
      assertEquals(s.substring(a, b).hashCode(), TokenCache.hash(0, buf, a, b));
      int c = rnd.nextInt(b, buf.length + 1);
      int d = rnd.nextInt(c, buf.length + 1);
      assertEquals(s.substring(a, b) + "." + s.substring(c, d),
          cache.dotted(buf, a, b, TokenCache.hash(0, buf, a, b), c, d));
    }
  }
}
