package io.logd.tenant;

import java.time.Instant;

/**
 * A key's public description; the secret is never part of it.
 *
 * @param id public identifier, used to list and revoke
 * @param tenant the tenant id the key is scoped to
 * @param revoked when it was revoked, or null while active
 */
public record ApiKey(String id, int tenant, Role role, String name, Instant created, Instant revoked) {
  public boolean active() {
    return revoked == null;
  }
}
