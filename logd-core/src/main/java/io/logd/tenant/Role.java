package io.logd.tenant;

import java.util.Locale;

/** What a key may do. Admin may do everything within its tenant; ingest and read only their own. */
public enum Role {
  ADMIN,
  INGEST,
  READ;

  /** True when a key with this role may perform an action that needs {@code needed}. */
  public boolean allows(Role needed) {
    return this == ADMIN || this == needed;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code admin}, {@code ingest} or {@code read}; null for anything else. */
  public static Role parse(String text) {
    if (text == null) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "admin" -> ADMIN;
      case "ingest" -> INGEST;
      case "read" -> READ;
      default -> null;
    };
  }
}
