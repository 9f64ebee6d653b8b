package io.logd.parse.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LocalTimesTest {

  @Test
  void calendarArithmeticAgreesWithJavaTime() {
    for (long day = LocalDate.of(1600, 1, 1).toEpochDay(); day <= LocalDate.of(2500, 12, 31).toEpochDay(); day++) {
      LocalDate d = LocalDate.ofEpochDay(day);
      assertEquals(day, io.logd.event.Times.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()), d.toString());
      assertEquals(d.getYear(), LocalTimes.yearOf(day), d.toString());
      assertEquals(d.lengthOfMonth(), io.logd.event.Times.daysInMonth(d.getYear(), d.getMonthValue()), d.toString());
    }
  }

  @Test
  void offsetsAgreeWithJavaTimeIncludingTransitions() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (String id : new String[] {"UTC", "Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kolkata"}) {
      ZoneId zone = ZoneId.of(id);
      LocalTimes times = new LocalTimes(zone);
      long from = LocalDateTime.of(2020, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
      for (int i = 0; i < 200_000; i++) {
        // Walk in small steps, as a live feed does, with the odd jump elsewhere.
        long local = i % 1000 == 0 ? from + rnd.nextLong(10L * 365 * 86_400) : from + i * 97L;
        LocalDateTime ldt = LocalDateTime.ofEpochSecond(local, 0, ZoneOffset.UTC);
        assertEquals(ldt.atZone(zone).toEpochSecond(), times.toUtc(local), id + " " + ldt);
        long utc = local;
        assertEquals(utc + zone.getRules().getOffset(Instant.ofEpochSecond(utc)).getTotalSeconds(), times.toLocal(utc),
            id + " utc " + utc);
      }
    }
  }
}
