package io.logd.engine;

import java.util.List;
import java.util.OptionalLong;

/**
 * What {@link Logd#verify()} found: per tenant, the events in the store and what the day indexes
 * and the rollups hold of them; and every inconsistency, as a sentence naming the tenant (and the
 * day, for the indexes).
 *
 * @param tenants one check per tenant, by tenant id
 * @param problems empty when the store, the indexes and the rollups agree
 */
public record Verification(List<TenantCheck> tenants, List<String> problems) {
  public Verification {
    tenants = List.copyOf(tenants);
    problems = List.copyOf(problems);
  }

  /** The store, the indexes and the rollups agree, and every stored event decodes. */
  public boolean ok() {
    return problems.isEmpty();
  }

  /**
   * One tenant's counts. They are taken while ingest goes on, so they may differ by what arrived
   * during the check without that being a problem.
   *
   * @param tenant the tenant id
   * @param events events in the store
   * @param indexed documents in the day indexes
   * @param rolledUp events counted in the rollups; empty when rollups are off
   * @param undecodable stored events this version cannot decode
   */
  public record TenantCheck(int tenant, long events, long indexed, OptionalLong rolledUp, long undecodable) {}
}
