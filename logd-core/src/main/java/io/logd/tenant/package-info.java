/**
 * Tenants and API keys: {@link io.logd.tenant.KeyStore} keeps tenants (name ↔ id) and keys (role,
 * tenant, SHA-256 hash of the secret — never the secret) in the store's {@code meta} column family,
 * and answers "who is this key?" from memory.
 *
 * <p>Depends on {@code io.logd.store} for persistence only.
 */
package io.logd.tenant;
