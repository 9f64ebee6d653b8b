package io.logd.query;

import io.logd.event.Severity;
import io.logd.rollup.Section;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query the rollups can count exactly: everything ({@code key} null), or one plain term on
 * {@code level}, {@code service} or {@code host}. Anything else (other fields, several terms,
 * wildcards, quotes, ranges) is left to the index.
 */
record RollupFilter(Section section, String key) {
  private static final Pattern TERM = Pattern.compile("(level|service|host):([A-Za-z0-9_][A-Za-z0-9_.\\-]*)");

  /** The filter {@code q} is, or null when the rollups cannot answer it. */
  static RollupFilter of(String q) {
    String t = q == null ? "" : q.strip();
    if (t.isEmpty() || t.equals("*")) {
      return new RollupFilter(Section.COUNTS, null);
    }
    Matcher m = TERM.matcher(t);
    if (!m.matches()) {
      return null;
    }
    String value = m.group(2);
    return switch (m.group(1)) {
      case "level" -> {
        Severity s = Severity.parse(value);
        yield s == null ? null : new RollupFilter(Section.LEVEL, s.canonicalName());
      }
      case "service" -> new RollupFilter(Section.SERVICE, value);
      default -> new RollupFilter(Section.HOST, value);
    };
  }
}
