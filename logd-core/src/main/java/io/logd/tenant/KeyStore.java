package io.logd.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logd.store.EventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Tenants and API keys, persisted in the store's {@code meta} column family and served from
 * memory.
 *
 * <p>A secret is {@code logd_} followed by 32 URL-safe base64 characters (192 random bits). Only
 * its SHA-256 is stored: a fast hash is enough for secrets with that much entropy, and it keeps
 * every request's check to one map lookup. Tenant {@code default} (id 1) always exists.
 */
public final class KeyStore {
  /** The tenant every fresh installation has, which owns the bootstrap admin key. */
  public static final String DEFAULT_TENANT = "default";

  public static final int DEFAULT_TENANT_ID = 1;

  private static final Pattern TENANT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final int MAX_KEY_NAME = 200;
  private static final String TENANT_PREFIX = "tenant/";
  private static final String KEY_PREFIX = "key/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A newly created key with its secret, which is shown this once and never again. */
  public record CreatedKey(ApiKey key, String secret) {}

  private final EventStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<Integer, Tenant> tenantsById = new ConcurrentHashMap<>();
  private final Map<String, Tenant> tenantsByName = new ConcurrentHashMap<>();
  private final Map<String, ApiKey> keysById = new ConcurrentHashMap<>();
  private final Map<String, String> hashById = new ConcurrentHashMap<>();
  private final Map<String, ApiKey> activeByHash = new ConcurrentHashMap<>();

  private KeyStore(EventStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Loads every tenant and key, creating tenant {@code default} on first use. */
  public static KeyStore open(EventStore store, Clock clock) throws IOException {
    KeyStore ks = new KeyStore(store, clock);
    try {
      store.forEachMeta(TENANT_PREFIX, (name, value) -> ks.loadTenant(name, value));
      store.forEachMeta(KEY_PREFIX, (name, value) -> ks.loadKey(name, value));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (!ks.tenantsById.containsKey(DEFAULT_TENANT_ID)) {
      ks.saveTenant(new Tenant(DEFAULT_TENANT_ID, DEFAULT_TENANT, clock.instant()));
    }
    return ks;
  }

  private void loadTenant(String name, byte[] value) {
    JsonNode n = read(value);
    Tenant t = new Tenant(Integer.parseInt(name.substring(TENANT_PREFIX.length())), n.path("name").asText(),
        Instant.parse(n.path("created").asText()));
    tenantsById.put(t.id(), t);
    tenantsByName.put(t.name(), t);
  }

  private void loadKey(String name, byte[] value) {
    JsonNode n = read(value);
    ApiKey k = new ApiKey(name.substring(KEY_PREFIX.length()), n.path("tenant").asInt(),
        Role.parse(n.path("role").asText()), n.path("name").asText(), Instant.parse(n.path("created").asText()),
        n.hasNonNull("revoked") ? Instant.parse(n.path("revoked").asText()) : null);
    String hash = n.path("hash").asText();
    keysById.put(k.id(), k);
    hashById.put(k.id(), hash);
    if (k.active()) {
      activeByHash.put(hash, k);
    }
  }

  private static JsonNode read(byte[] value) {
    try {
      return JSON.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes sure an admin of tenant {@code default} can get in. With {@code preset} (from
   * {@code LOGD_ADMIN_KEY}), that secret becomes an active admin key if it is not one already.
   * Without it, when no key exists at all, a new admin key is made and its secret returned, to be
   * printed once; otherwise nothing happens.
   */
  public synchronized Optional<String> bootstrap(String preset) throws IOException {
    if (preset != null && !preset.isBlank()) {
      if (!activeByHash.containsKey(sha256(preset))) {
        saveKey(newId(), DEFAULT_TENANT_ID, Role.ADMIN, "bootstrap (LOGD_ADMIN_KEY)", preset);
      }
      return Optional.empty();
    }
    if (!keysById.isEmpty()) {
      return Optional.empty();
    }
    String secret = newSecret();
    saveKey(newId(), DEFAULT_TENANT_ID, Role.ADMIN, "bootstrap", secret);
    return Optional.of(secret);
  }

  /** The active key a secret belongs to; empty for unknown or revoked secrets. */
  public Optional<ApiKey> authenticate(String secret) {
    if (secret == null || secret.isEmpty() || secret.length() > 512) {
      return Optional.empty();
    }
    return Optional.ofNullable(activeByHash.get(sha256(secret)));
  }

  public Optional<Tenant> tenant(int id) {
    return Optional.ofNullable(tenantsById.get(id));
  }

  public Optional<Tenant> tenant(String name) {
    return Optional.ofNullable(name == null ? null : tenantsByName.get(name));
  }

  /** Every tenant, by id. */
  public List<Tenant> tenants() {
    List<Tenant> out = new ArrayList<>(tenantsById.values());
    out.sort(Comparator.comparingInt(Tenant::id));
    return out;
  }

  /** Creates a tenant; names are 1–63 characters of {@code a-z 0-9 _ -}, starting with a letter or digit. */
  public synchronized Tenant createTenant(String name) throws KeyStoreException, IOException {
    if (name == null || !TENANT_NAME.matcher(name).matches()) {
      throw new KeyStoreException("tenant name must be 1-63 characters of a-z, 0-9, '_' and '-', "
          + "starting with a letter or digit; got '" + name + "'");
    }
    if (tenantsByName.containsKey(name)) {
      throw new KeyStoreException("tenant '" + name + "' already exists");
    }
    int id = tenantsById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    Tenant t = new Tenant(id, name, clock.instant());
    saveTenant(t);
    return t;
  }

  /** Creates a key for a tenant; the secret in the answer is the only copy anywhere. */
  public synchronized CreatedKey createKey(String tenantName, Role role, String name)
      throws KeyStoreException, IOException {
    Tenant t = tenant(tenantName).orElseThrow(() -> new KeyStoreException("no tenant '" + tenantName + "'"));
    if (role == null) {
      throw new KeyStoreException("role must be admin, ingest or read");
    }
    String label = name == null ? "" : name.strip();
    if (label.length() > MAX_KEY_NAME) {
      throw new KeyStoreException("key name longer than " + MAX_KEY_NAME + " characters");
    }
    String secret = newSecret();
    ApiKey key = saveKey(newId(), t.id(), role, label, secret);
    return new CreatedKey(key, secret);
  }

  /** A key by its id, active or revoked (sessions re-check their key on every request). */
  public Optional<ApiKey> key(String id) {
    return Optional.ofNullable(id == null ? null : keysById.get(id));
  }

  /** The keys of one tenant, active and revoked, oldest first. */
  public List<ApiKey> keys(int tenant) {
    List<ApiKey> out = new ArrayList<>();
    for (ApiKey k : keysById.values()) {
      if (k.tenant() == tenant) {
        out.add(k);
      }
    }
    out.sort(Comparator.comparing(ApiKey::created).thenComparing(ApiKey::id));
    return out;
  }

  /**
   * Revokes a key of {@code tenant}; empty when that tenant has no such key (another tenant's key
   * ids are indistinguishable from unknown ones). Revoking twice keeps the first time.
   */
  public synchronized Optional<ApiKey> revoke(int tenant, String id) throws IOException {
    ApiKey k = keysById.get(id);
    if (k == null || k.tenant() != tenant) {
      return Optional.empty();
    }
    if (!k.active()) {
      return Optional.of(k);
    }
    ApiKey revoked = new ApiKey(k.id(), k.tenant(), k.role(), k.name(), k.created(), clock.instant());
    String hash = hashById.get(id);
    persistKey(revoked, hash);
    keysById.put(id, revoked);
    activeByHash.remove(hash);
    return Optional.of(revoked);
  }

  private void saveTenant(Tenant t) throws IOException {
    ObjectNode n = JSON.createObjectNode().put("name", t.name()).put("created", t.created().toString());
    store.putMeta(TENANT_PREFIX + String.format("%010d", t.id()), JSON.writeValueAsBytes(n));
    tenantsById.put(t.id(), t);
    tenantsByName.put(t.name(), t);
  }

  private ApiKey saveKey(String id, int tenant, Role role, String name, String secret) throws IOException {
    ApiKey k = new ApiKey(id, tenant, role, name, clock.instant(), null);
    String hash = sha256(secret);
    persistKey(k, hash);
    keysById.put(id, k);
    hashById.put(id, hash);
    activeByHash.put(hash, k);
    return k;
  }

  private void persistKey(ApiKey k, String hash) throws IOException {
    ObjectNode n = JSON.createObjectNode()
        .put("tenant", k.tenant()).put("role", k.role().wireName()).put("name", k.name())
        .put("hash", hash).put("created", k.created().toString());
    n.put("revoked", k.revoked() == null ? null : k.revoked().toString());
    store.putMeta(KEY_PREFIX + k.id(), JSON.writeValueAsBytes(n));
  }

  private String newId() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private String newSecret() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return "logd_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String sha256(String secret) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
