package io.logd.parse.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.logd.event.LogEvent;
import io.logd.parse.syslog.SyslogParser.Malformed;
import io.logd.parse.syslog.SyslogParser.Message;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated lines to the parser: it must never throw, and what it returns must be
 * usable. The seed is printed; rerun a failure with {@code -Dsyslog.seed=<seed>}.
 */
class SyslogParserRandomTest {
  static final int LINES = 200_000;
  static final long RECEIVED = LogEvent.toNanos(Instant.parse("2026-11-23T10:00:00Z"));

  static final List<String> SEEDS = List.of(
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8",
      "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
          + "eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]",
      "<14>1 2026-11-23T10:00:00Z h app - - [x@1 q=\"say \\\"hi\\\"\" b=\"C:\\\\dir\" r=\"[a\\]\"] body",
      "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      "<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!",
      "<13>2024-03-05T10:11:12.123456+01:00 web-1 sshd[812]: Connection closed",
      "<22>Nov 23 09:59:58 mail-1 postfix/smtpd[1234]: connect from unknown[10.0.0.1]",
      "<190>Nov 23 10:00:00 web-1 nginx: 127.0.0.1 - - [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 612",
      "<189>Mar  1 2025 18:46:11.123: %SYS-5-CONFIG_I: Configured from console",
      "<38>Nov 23 10:00:00 fe80:: sshd[4]: x",
      "Oct 11 22:14:15 host app[9]: hello",
      "<13>myapp: msg");

  static final String ALPHABET = "<>[]\"\\= :-.TZ+0123456789 1Oct\uFEFF\0\r\n\uD800\uDC00\u00e9x]";

  @Test
  void randomAndMutatedLinesNeverThrow() {
    long seed = Long.getLong("syslog.seed", System.nanoTime());
    System.out.println("SyslogParserRandomTest seed: " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    SyslogParser[] parsers = {
      new SyslogParser(ZoneId.of("UTC"), Clock.systemUTC()),
      new SyslogParser(ZoneId.of("Europe/Berlin"), Clock.fixed(Instant.parse("2026-12-31T23:30:00Z"), ZoneId.of("UTC"))),
      new SyslogParser(ZoneId.of("America/St_Johns"), Clock.fixed(Instant.parse("1970-01-01T00:00:00Z"), ZoneId.of("UTC"))),
    };
    int messages = 0;
    for (int i = 0; i < LINES; i++) {
      String line = rnd.nextInt(10) == 0 ? random(rnd) : mutate(SEEDS.get(rnd.nextInt(SEEDS.size())), rnd);
      SyslogParser parser = parsers[rnd.nextInt(parsers.length)];
      try {
        if (check(parser, line)) {
          messages++;
        }
        SyslogParser.looksLike(line);
      } catch (Throwable t) {
        fail("seed " + seed + ", line " + escape(line), t);
      }
    }
    assertTrue(messages > LINES / 10, "most mutations still parse: " + messages);
  }

  /** Parses and checks the result is usable; true for a Message. */
  static boolean check(SyslogParser parser, String line) {
    SyslogParser.Result r = parser.parse(line, RECEIVED);
    assertNotNull(r);
    switch (r) {
      case Message m -> {
        LogEvent e = m.event().build();
        assertEquals(m.body(), e.message());
        assertEquals(RECEIVED, e.receivedNanos());
        assertTrue(e.timestampNanos() >= 0);
        assertTrue(m.body().isEmpty() || "\r\n\0".indexOf(m.body().charAt(m.body().length() - 1)) < 0, "trailers trimmed");
        return true;
      }
      case Malformed bad -> {
        assertTrue(bad.reason().equals("empty message") || bad.reason().contains(" at column "), bad.reason());
        return false;
      }
    }
  }

  static String mutate(String seed, SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder(seed);
    int edits = 1 + rnd.nextInt(4);
    for (int e = 0; e < edits && !sb.isEmpty(); e++) {
      int at = rnd.nextInt(sb.length());
      switch (rnd.nextInt(5)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        case 2 -> sb.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        case 3 -> sb.setLength(at);
        default -> sb.setCharAt(at, (char) rnd.nextInt(0x10000));
      }
    }
    return sb.toString();
  }

  static String random(SplittableRandom rnd) {
    int n = rnd.nextInt(80);
    StringBuilder sb = new StringBuilder(n);
    boolean ascii = rnd.nextBoolean();
    for (int i = 0; i < n; i++) {
      sb.append(ascii ? ALPHABET.charAt(rnd.nextInt(ALPHABET.length())) : (char) rnd.nextInt(0x10000));
    }
    return sb.toString();
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c > 0x7e) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
