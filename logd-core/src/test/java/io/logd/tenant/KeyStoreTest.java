package io.logd.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.store.EventStore;
import io.logd.store.StoreOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreTest {
  @TempDir Path dir;

  @Test
  void firstStartMakesOneAdminKeyAndShowsItOnce() throws IOException {
    String secret;
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      KeyStore ks = KeyStore.open(store, Clock.systemUTC());
      secret = ks.bootstrap(null).orElseThrow();
      assertTrue(secret.startsWith("logd_") && secret.length() == 37, secret);
      ApiKey k = ks.authenticate(secret).orElseThrow();
      assertEquals(Role.ADMIN, k.role());
      assertEquals(KeyStore.DEFAULT_TENANT_ID, k.tenant());
      assertEquals(Optional.empty(), ks.bootstrap(null), "shown once only");
    }
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      KeyStore ks = KeyStore.open(store, Clock.systemUTC());
      assertEquals(Optional.empty(), ks.bootstrap(null), "nor after a restart");
      assertTrue(ks.authenticate(secret).isPresent(), "keys survive a restart");
      assertEquals("default", ks.tenant(KeyStore.DEFAULT_TENANT_ID).orElseThrow().name());
    }
  }

  @Test
  void presetAdminKeyIsHonouredAndNotPrinted() throws IOException {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      KeyStore ks = KeyStore.open(store, Clock.systemUTC());
      assertEquals(Optional.empty(), ks.bootstrap("my-preset-admin-key"));
      assertEquals(Role.ADMIN, ks.authenticate("my-preset-admin-key").orElseThrow().role());
      ks.bootstrap("my-preset-admin-key");
      assertEquals(1, ks.keys(KeyStore.DEFAULT_TENANT_ID).size(), "a preset is added once");
    }
  }

  @Test
  void secretsAreStoredOnlyAsHashes() throws Exception {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      KeyStore ks = KeyStore.open(store, Clock.systemUTC());
      ks.createTenant("acme");
      String secret = ks.createKey("acme", Role.INGEST, "nginx-fleet").secret();
      List<String> meta = new ArrayList<>();
      store.forEachMeta("", (name, value) -> meta.add(name + "=" + new String(value, StandardCharsets.UTF_8)));
      assertFalse(meta.stream().anyMatch(m -> m.contains(secret)), meta.toString());
      assertTrue(meta.stream().anyMatch(m -> m.contains(KeyStore.sha256(secret))));
    }
  }

  @Test
  void tenantsKeysRolesAndRevocation() throws Exception {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      KeyStore ks = KeyStore.open(store, Clock.systemUTC());
      Tenant acme = ks.createTenant("acme");
      assertEquals(2, acme.id());
      assertEquals(List.of("default", "acme"), ks.tenants().stream().map(Tenant::name).toList());
      KeyStore.CreatedKey ingest = ks.createKey("acme", Role.INGEST, "nginx-fleet");
      KeyStore.CreatedKey read = ks.createKey("acme", Role.READ, "grafana");
      assertEquals(acme.id(), ks.authenticate(ingest.secret()).orElseThrow().tenant());
      assertTrue(Role.ADMIN.allows(Role.READ) && Role.ADMIN.allows(Role.INGEST));
      assertFalse(Role.INGEST.allows(Role.READ) || Role.READ.allows(Role.INGEST) || Role.READ.allows(Role.ADMIN));

      assertTrue(ks.revoke(KeyStore.DEFAULT_TENANT_ID, ingest.key().id()).isEmpty(), "another tenant cannot revoke it");
      ApiKey revoked = ks.revoke(acme.id(), ingest.key().id()).orElseThrow();
      assertFalse(revoked.active());
      assertTrue(ks.authenticate(ingest.secret()).isEmpty(), "a revoked key no longer works");
      assertTrue(ks.authenticate(read.secret()).isPresent());
      assertEquals(2, ks.keys(acme.id()).size(), "revoked keys are still listed");
    }
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      KeyStore ks = KeyStore.open(store, Clock.systemUTC());
      assertEquals(1, ks.keys(2).stream().filter(ApiKey::active).count(), "revocation survives a restart");
    }
  }

  @Test
  void badRequestsSayWhy() throws Exception {
    try (EventStore store = EventStore.open(dir, StoreOptions.DEFAULTS)) {
      KeyStore ks = KeyStore.open(store, Clock.systemUTC());
      assertTrue(assertThrows(KeyStoreException.class, () -> ks.createTenant("Acme Corp")).getMessage().contains("a-z"));
      assertThrows(KeyStoreException.class, () -> ks.createTenant("default"));
      assertThrows(KeyStoreException.class, () -> ks.createKey("nobody", Role.READ, "x"));
      assertThrows(KeyStoreException.class, () -> ks.createKey("default", null, "x"));
      assertTrue(ks.authenticate("").isEmpty());
      assertTrue(ks.authenticate(null).isEmpty());
      assertTrue(ks.authenticate("logd_not-a-real-key").isEmpty());
    }
  }
}
