package io.logd.parse;

import java.util.Locale;

/** The formats a message body can be read as. {@link #AUTO} detects one; {@link #RAW} reads none. */
public enum BodyFormat {
  AUTO, RAW, NGINX, JSON, LOGFMT, XRAY;

  /** The lower-case name used in config, flags and the API. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format named by {@code text} (case-insensitive), or null when it names none. */
  public static BodyFormat parse(String text) {
    if (text == null) {
      return null;
    }
    for (BodyFormat f : values()) {
      if (f.keyword().equalsIgnoreCase(text.trim())) {
        return f;
      }
    }
    return null;
  }
}
