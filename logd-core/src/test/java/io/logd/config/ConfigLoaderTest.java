package io.logd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.logd.ingest.AckMode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.logd.parse.BodyFormat;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final Map<String, String> NO_ENV = Map.of();
  private static final Map<String, String> NO_FLAGS = Map.of();

  /** Records that are one value (one key), not a section. */
  private static final Set<Class<?>> VALUE_RECORDS = Set.of(LogdConfig.DiskBudget.class);

  private static final List<Cidr> ANYWHERE = List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));

  @TempDir Path tmp;

  // ------------------------------------------------------------------ defaults and drift

  @Test
  void defaultsAreTheDocumentedValues() {
    LogdConfig expected = new LogdConfig(
        Path.of("./data"),
        new LogdConfig.Http("0.0.0.0", 8080, 100L * 1024 * 1024, 0, 0, 200),
        new LogdConfig.Syslog("0.0.0.0", ZoneId.of("UTC"), 64L * 1024, Duration.ofMinutes(10),
            new LogdConfig.Udp(true, 5514, 8L << 20, "default", ANYWHERE, BodyFormat.AUTO, List.of()),
            new LogdConfig.Tcp(true, 5514, "default", ANYWHERE, BodyFormat.AUTO, List.of()),
            new LogdConfig.Tls(6514, null, null, "default", ANYWHERE, BodyFormat.AUTO, List.of())),
        new LogdConfig.Auth(null),
        new LogdConfig.Ingest(AckMode.DURABLE, 65_536, 65_536),
        new LogdConfig.Storage(
            new LogdConfig.Retention(
                Duration.ofDays(30), LogdConfig.DiskBudget.NONE, Duration.ofMinutes(1)),
            1L << 30,
            new LogdConfig.RocksDb(256L << 20, 64L << 20, 2)),
        new LogdConfig.Index(Duration.ofMillis(500), Duration.ofSeconds(10), 256, 2000, 0),
        new LogdConfig.Rollups(true, Duration.ofSeconds(5), 16, 10_000));
    assertEquals(expected, ConfigLoader.defaults());
    assertEquals(expected, LogdConfig.defaults());
    assertEquals(expected, ConfigLoader.load(null, NO_ENV, NO_FLAGS));
    assertFalse(expected.syslog().tls().enabled());
    assertFalse(expected.storage().retention().maxDisk().isSet());
  }

  @Test
  void refreshSlowerThanOneSecondIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, NO_ENV, Map.of("index.refresh_interval", "2s")));
    assertEquals("index.refresh_interval", e.key());
    assertTrue(e.getMessage().contains("at most 1s"), e.getMessage());
  }

  @Test
  void rollupFlushSlowerThanFiveSecondsIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, NO_ENV, Map.of("rollups.flush_interval", "10s")));
    assertEquals("rollups.flush_interval", e.key());
    assertTrue(e.getMessage().contains("at most 5s"), e.getMessage());
  }

  @Test
  void embeddedDefaultsAreTheRepoFileByteForByte() throws IOException {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("logd.yaml")) {
      assertTrue(in != null, "io/logd/config/logd.yaml on the classpath");
      assertEquals(Files.readString(repoConfig()), new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void everyYamlKeyHasAComponentAndEveryComponentHasAKey() throws IOException {
    Set<String> yamlKeys = new TreeSet<>(leafKeys(new YAMLMapper().readTree(repoConfig().toFile()), ""));
    Map<String, String> components = new LinkedHashMap<>(); // "storage.minFreeDiskBytes" -> snake
    componentPaths(LogdConfig.class, "", components);

    Set<String> unmatchedKeys = new TreeSet<>(yamlKeys);
    Set<String> unmatchedComponents = new TreeSet<>();
    for (var c : components.entrySet()) {
      String key = keyFor(c.getKey(), yamlKeys);
      if (key == null || !unmatchedKeys.remove(key)) {
        unmatchedComponents.add(c.getKey());
      }
    }
    assertEquals(Set.of(), unmatchedKeys, "logd.yaml keys without a LogdConfig component");
    assertEquals(Set.of(), unmatchedComponents, "LogdConfig components without a logd.yaml key");
    assertEquals(yamlKeys, new TreeSet<>(ConfigLoader.keys()));
  }

  @Test
  void everyKeyLineHasACommentNamingItsEnvironmentVariable() throws IOException {
    List<String> lines = Files.readAllLines(repoConfig());
    for (String key : ConfigLoader.keys()) {
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      String line = lines.stream()
          .filter(l -> l.stripLeading().startsWith(leaf + ":") && l.contains(ConfigLoader.envVar(key)))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no line for " + key + " naming " + ConfigLoader.envVar(key)));
      assertTrue(line.indexOf('#') > line.indexOf(':'), "comment on the line of " + key);
    }
  }

  /**
   * Sets each key to a non-default value and checks that exactly its own component changed, which
   * catches keys wired to the wrong component. A new key without an entry here fails the test.
   */
  @Test
  void eachKeyDrivesExactlyItsOwnComponent() throws Exception {
    Path cert = Files.writeString(tmp.resolve("cert.pem"), "x");
    Path key = Files.writeString(tmp.resolve("key.pem"), "x");
    Map<String, String> other = new LinkedHashMap<>();
    other.put("data_dir", "/var/lib/logd");
    other.put("http.bind", "127.0.0.1");
    other.put("http.port", "1111");
    other.put("http.max_body_bytes", "1KiB");
    other.put("http.max_inflight_body_bytes", "64MiB");
    other.put("http.rate_limit", "50");
    other.put("http.rate_burst", "5");
    other.put("syslog.bind", "::1");
    other.put("syslog.timezone", "Europe/Berlin");
    other.put("syslog.max_frame", "1MiB");
    other.put("syslog.idle_timeout", "0");
    other.put("syslog.udp.enabled", "false");
    other.put("syslog.udp.port", "2222");
    other.put("syslog.udp.receive_buffer", "1MiB");
    other.put("syslog.udp.tenant", "acme");
    other.put("syslog.udp.allow", "10.0.0.0/8");
    other.put("syslog.udp.format", "raw");
    other.put("syslog.udp.rules", "nginx=nginx");
    other.put("syslog.tcp.enabled", "off");
    other.put("syslog.tcp.port", "3333");
    other.put("syslog.tcp.tenant", "acme");
    other.put("syslog.tcp.allow", "127.0.0.1");
    other.put("syslog.tcp.format", "json");
    other.put("syslog.tcp.rules", "xray*=xray");
    other.put("syslog.tls.port", "4444");
    other.put("syslog.tls.cert", cert.toString());
    other.put("syslog.tls.key", key.toString());
    other.put("syslog.tls.tenant", "acme");
    other.put("syslog.tls.allow", "::1/128");
    other.put("syslog.tls.format", "logfmt");
    other.put("syslog.tls.rules", "app=json, web=nginx");
    other.put("auth.admin_key", "k-123");
    other.put("ingest.ack", "fast");
    other.put("ingest.queue_events", "10");
    other.put("ingest.max_group_events", "5");
    other.put("storage.retention.max_age", "7d");
    other.put("storage.retention.max_disk", "80%");
    other.put("storage.retention.interval", "30s");
    other.put("storage.min_free_disk", "0");
    other.put("storage.rocksdb.block_cache", "1MiB");
    other.put("storage.rocksdb.write_buffer", "2MiB");
    other.put("storage.rocksdb.max_background_jobs", "7");
    other.put("index.refresh_interval", "1s");
    other.put("index.commit_interval", "1m");
    other.put("index.max_fields_per_event", "10");
    other.put("index.max_fields_per_day", "20");
    other.put("index.threads", "3");
    other.put("rollups.enabled", "false");
    other.put("rollups.flush_interval", "1s");
    other.put("rollups.max_open_minutes", "4");
    other.put("rollups.max_keys", "50");
    assertEquals(new TreeSet<>(ConfigLoader.keys()), new TreeSet<>(other.keySet()));

    Map<String, Object> base = leafValues(ConfigLoader.defaults(), "");
    for (var e : other.entrySet()) {
      Map<String, String> flags = new HashMap<>(Map.of(e.getKey(), e.getValue()));
      // TLS needs both halves, so pair them; the pair is checked as two changes.
      if (e.getKey().equals("syslog.tls.cert") || e.getKey().equals("syslog.tls.key")) {
        flags.put("syslog.tls.cert", cert.toString());
        flags.put("syslog.tls.key", key.toString());
      }
      Map<String, Object> changed = leafValues(ConfigLoader.load(null, NO_ENV, flags), "");
      Set<String> diff = new TreeSet<>();
      for (String c : base.keySet()) {
        if (!Objects.equals(base.get(c), changed.get(c))) {
          diff.add(keyFor(c, ConfigLoader.keys()));
        }
      }
      assertEquals(new TreeSet<>(flags.keySet()), diff, "components changed by " + e.getKey());
    }
  }

  // ------------------------------------------------------------------ layers

  @Test
  void fileOverridesDefaults() throws IOException {
    Path file = write("""
        data_dir: /srv/logd
        http:
          port: 9090
        ingest:
          ack: fast
        storage:
          retention:
            max_age: 7d
            max_disk: 50GiB
          rocksdb:
            block_cache: 1GB
        """);
    LogdConfig c = ConfigLoader.load(file, NO_ENV, NO_FLAGS);
    assertEquals(Path.of("/srv/logd"), c.dataDir());
    assertEquals(9090, c.http().port());
    assertEquals(AckMode.FAST, c.ingest().ack());
    assertEquals(Duration.ofDays(7), c.storage().retention().maxAge());
    assertEquals(new LogdConfig.DiskBudget(50L << 30, 0), c.storage().retention().maxDisk());
    assertEquals(1_000_000_000L, c.storage().rocksdb().blockCacheBytes());
    // untouched keys keep their defaults
    assertEquals(5514, c.syslog().udp().port());
    assertEquals(Duration.ofMinutes(1), c.storage().retention().interval());
  }

  @Test
  void emptyOrCommentOnlyFileIsAllDefaults() throws IOException {
    assertEquals(ConfigLoader.defaults(), ConfigLoader.load(write(""), NO_ENV, NO_FLAGS));
    assertEquals(ConfigLoader.defaults(), ConfigLoader.load(write("# nothing\n\n"), NO_ENV, NO_FLAGS));
    assertEquals(ConfigLoader.defaults(), ConfigLoader.load(write("storage:\n"), NO_ENV, NO_FLAGS));
  }

  @Test
  void dottedKeysInTheFileWorkLikeNestedOnes() throws IOException {
    LogdConfig c = ConfigLoader.load(write("http.port: 7070\nstorage.retention.max_age: 2h\n"), NO_ENV, NO_FLAGS);
    assertEquals(7070, c.http().port());
    assertEquals(Duration.ofHours(2), c.storage().retention().maxAge());

    var e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(write("http.port: 1\nhttp:\n  port: 2\n"), NO_ENV, NO_FLAGS));
    assertEquals("http.port", e.key());
    assertTrue(e.getMessage().contains("set twice"), e.getMessage());
  }

  @Test
  void duplicateKeyInTheFileIsAnError() throws IOException {
    Path file = write("http:\n  port: 1\n  port: 2\n");
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, NO_ENV, NO_FLAGS));
    assertEquals("http.port", e.key());
    assertTrue(e.getMessage().startsWith("http.port is set twice in " + file + " (line 3"), e.getMessage());
  }

  @Test
  void badAdminKeyIsNotEchoed() {
    var e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("LOGD_ADMIN_KEY", "top secret"), NO_FLAGS));
    assertEquals("auth.admin_key", e.key());
    assertTrue(e.getMessage().startsWith("auth.admin_key (from LOGD_ADMIN_KEY): expected "), e.getMessage());
    assertFalse(e.getMessage().contains("top secret"), e.getMessage());
  }

  @Test
  void invalidYamlNamesTheFileAndLine() throws IOException {
    Path file = write("http:\n  port: [1,\n");
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, NO_ENV, NO_FLAGS));
    assertTrue(e.getMessage().startsWith("config file " + file + " is not valid YAML (line 3, column 1): "),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void environmentOverridesDefaults() {
    Map<String, String> env = Map.of(
        "LOGD_DATA_DIR", "/tmp/logd",
        "LOGD_HTTP_PORT", "0",
        "LOGD_SYSLOG_UDP_PORT", "1514",
        "LOGD_SYSLOG_TCP_PORT", "1515",
        "LOGD_ADMIN_KEY", "secret-admin",
        "LOGD_INGEST_ACK", "FAST",
        "LOGD_STORAGE_RETENTION_MAX_AGE", "14d",
        "LOGD_STORAGE_ROCKSDB_MAX_BACKGROUND_JOBS", "4");
    LogdConfig c = ConfigLoader.load(null, env, NO_FLAGS);
    assertEquals(Path.of("/tmp/logd"), c.dataDir());
    assertEquals(0, c.http().port());
    assertEquals(1514, c.syslog().udp().port());
    assertEquals(1515, c.syslog().tcp().port());
    assertEquals("secret-admin", c.auth().adminKey());
    assertEquals(AckMode.FAST, c.ingest().ack());
    assertEquals(Duration.ofDays(14), c.storage().retention().maxAge());
    assertEquals(4, c.storage().rocksdb().maxBackgroundJobs());
  }

  @Test
  void genericNameWorksForTheAdminKeyToo() {
    assertEquals("a1", ConfigLoader.load(null, Map.of("LOGD_AUTH_ADMIN_KEY", "a1"), NO_FLAGS).auth().adminKey());
    // Same value under both names is fine; different values are ambiguous.
    Map<String, String> same = Map.of("LOGD_AUTH_ADMIN_KEY", "a1", "LOGD_ADMIN_KEY", "a1");
    assertEquals("a1", ConfigLoader.load(null, same, NO_FLAGS).auth().adminKey());
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        null, Map.of("LOGD_AUTH_ADMIN_KEY", "a1", "LOGD_ADMIN_KEY", "b2"), NO_FLAGS));
    assertEquals("auth.admin_key", e.key());
    assertTrue(e.getMessage().contains("LOGD_ADMIN_KEY") && e.getMessage().contains("LOGD_AUTH_ADMIN_KEY"));
  }

  @Test
  void unrelatedAndEmptyEnvironmentVariablesAreIgnored() {
    Map<String, String> env = Map.of(
        "LOGD_URL", "http://127.0.0.1:8080",
        "LOGD_API_KEY", "k",
        "LOGD_HTTP_PROT", "1",
        "LOGD_HTTP_PORT", "",
        "PATH", "/usr/bin",
        "HTTP_PORT", "1");
    assertEquals(ConfigLoader.defaults(), ConfigLoader.load(null, env, NO_FLAGS));
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsFile() throws IOException {
    Path file = write("http:\n  port: 1000\nsyslog:\n  udp:\n    port: 1001\n  tcp:\n    port: 1002\n");
    Map<String, String> env = Map.of("LOGD_HTTP_PORT", "2000", "LOGD_SYSLOG_UDP_PORT", "2001");
    Map<String, String> flags = Map.of("http.port", "3000");
    LogdConfig c = ConfigLoader.load(file, env, flags);
    assertEquals(3000, c.http().port());      // flag > env > file
    assertEquals(2001, c.syslog().udp().port());  // env > file
    assertEquals(1002, c.syslog().tcp().port());  // file > default
    assertEquals(6514, c.syslog().tls().port());  // default
  }

  @Test
  void configFileComesFromLogdConfigUnlessGivenExplicitly() throws IOException {
    Path viaEnv = write("http:\n  port: 1234\n");
    assertEquals(1234, ConfigLoader.load(null, Map.of("LOGD_CONFIG", viaEnv.toString()), NO_FLAGS).http().port());

    Path explicit = Files.writeString(tmp.resolve("explicit.yaml"), "http:\n  port: 4321\n");
    assertEquals(4321, ConfigLoader.load(explicit, Map.of("LOGD_CONFIG", viaEnv.toString()), NO_FLAGS).http().port());
  }

  @Test
  void missingConfigFileIsAnError() {
    Path missing = tmp.resolve("nope.yaml");
    var e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("LOGD_CONFIG", missing.toString()), NO_FLAGS));
    assertEquals("config file " + missing + " (from LOGD_CONFIG) does not exist", e.getMessage());
    assertNull(e.key());

    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, NO_ENV, NO_FLAGS));
    assertEquals("config file " + missing + " does not exist", e.getMessage());

    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(tmp, NO_ENV, NO_FLAGS));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }

  @Test
  void relativeDataDirStaysRelative() {
    LogdConfig c = ConfigLoader.load(null, Map.of("LOGD_DATA_DIR", "var/logd"), NO_FLAGS);
    assertEquals(Path.of("var/logd"), c.dataDir());
    assertFalse(c.dataDir().isAbsolute());
  }

  // ------------------------------------------------------------------ unknown keys and shapes

  @Test
  void unknownKeyInFileSuggestsTheClosestKey() throws IOException {
    Path file = write("storage:\n  retension:\n    max_age: 1d\n");
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, NO_ENV, NO_FLAGS));
    assertEquals("storage.retension", e.key());
    assertEquals("unknown key 'storage.retension' in " + file + "; did you mean 'storage.retention'?",
        e.getMessage());
  }

  @Test
  void unknownLeafKeysGetSuggestionsToo() throws IOException {
    var e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(write("http:\n  prot: 1\n"), NO_ENV, NO_FLAGS));
    assertTrue(e.getMessage().endsWith("did you mean 'http.port'?"), e.getMessage());

    // The right leaf under the wrong section.
    e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(write("storage:\n  max_age: 1d\n"), NO_ENV, NO_FLAGS));
    assertTrue(e.getMessage().endsWith("did you mean 'storage.retention.max_age'?"), e.getMessage());

    // Nothing close: no suggestion.
    e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(write("frobnicate: true\n"), NO_ENV, NO_FLAGS));
    assertEquals("frobnicate", e.key());
    assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
  }

  @Test
  void unknownFlagKeyIsAnErrorWithSuggestion() {
    var e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, NO_ENV, Map.of("ingest.akc", "fast")));
    assertEquals("ingest.akc", e.key());
    assertEquals("unknown key 'ingest.akc' (from a command-line flag); did you mean 'ingest.ack'?",
        e.getMessage());

    e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, NO_ENV, Map.of("storage.retention", "30d")));
    assertEquals("storage.retention", e.key());
    assertTrue(e.getMessage().contains("storage.retention.max_age"), e.getMessage());
  }

  @Test
  void mapWhereAValueBelongsNamesTheKey() throws IOException {
    Path file = write("http:\n  port:\n    number: 80\n");
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, NO_ENV, NO_FLAGS));
    assertEquals("http.port", e.key());
    assertEquals("http.port (in " + file + "): expected a port 0..65535, got a map of keys", e.getMessage());

    Path list = write("ingest:\n  ack: [durable, fast]\n");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(list, NO_ENV, NO_FLAGS));
    assertEquals("ingest.ack", e.key());
    assertTrue(e.getMessage().endsWith("got a list"), e.getMessage());
  }

  @Test
  void valueWhereASectionBelongsNamesTheKey() throws IOException {
    Path file = write("storage:\n  retention: 30d\n");
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, NO_ENV, NO_FLAGS));
    assertEquals("storage.retention", e.key());
    assertEquals("storage.retention (in " + file + "): expected a section with keys max_age, max_disk,"
        + " interval; got '30d'", e.getMessage());

    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(write("- a\n- b\n"), NO_ENV, NO_FLAGS));
    assertTrue(e.getMessage().contains("expected a map of keys at the top level"), e.getMessage());
  }

  // ------------------------------------------------------------------ bad values

  @Test
  void badValueErrorsNameTheKeyTheValueAndTheSource() throws IOException {
    var e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("LOGD_HTTP_PORT", "80x"), NO_FLAGS));
    assertEquals("http.port", e.key());
    assertEquals("http.port (from LOGD_HTTP_PORT): expected a port 0..65535, got '80x'", e.getMessage());

    e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, NO_ENV, Map.of("ingest.ack", "sometimes")));
    assertEquals("ingest.ack (from a command-line flag): expected durable or fast, got 'sometimes'",
        e.getMessage());

    Path file = write("ingest:\n  ack: sometimes\n");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, NO_ENV, NO_FLAGS));
    assertEquals("ingest.ack (in " + file + "): expected durable or fast, got 'sometimes'", e.getMessage());
  }

  @ParameterizedTest(name = "{0} = ''{1}''")
  @CsvSource(delimiter = '|', textBlock = """
      data_dir                            | ''       | a path
      http.bind                           | 0.0.0    | an IP address or hostname
      http.bind                           | 256.1.1.1| an IP address or hostname
      http.bind                           | a_b.com  | an IP address or hostname
      http.bind                           | fe80::zz | an IP address or hostname
      http.bind                           | ''       | an IP address or hostname
      http.port                           | 65536    | a port 0..65535
      http.port                           | -1       | a port 0..65535
      http.port                           | 80.5     | a port 0..65535
      http.max_body_bytes                 | 0        | a size above 0
      http.max_body_bytes                 | 10XB     | a size above 0
      http.max_inflight_body_bytes        | -1       | a size such as 0
      syslog.udp.port                     | udp      | a port 0..65535
      syslog.tcp.port                     | 99999999999 | a port 0..65535
      syslog.tls.port                     | ''       | a port 0..65535
      syslog.tls.cert                     | /no/such/cert.pem | the path of an existing file
      syslog.timezone                     | Mars/Olympus | a time zone ID
      syslog.max_frame                    | 0        | a size above 0
      syslog.udp.enabled                  | maybe    | true or false
      syslog.udp.tenant                   | 'a b'    | a tenant name
      syslog.udp.allow                    | 10.0.0.0/33 | comma-separated address blocks
      syslog.tcp.allow                    | 10.0.0.0/8,,::1 | comma-separated address blocks
      syslog.tcp.allow                    | example.com | comma-separated address blocks
      syslog.tcp.format                   | apache   | auto, raw, nginx, json, logfmt or xray
      syslog.tls.rules                    | nginx    | comma-separated service=format rules
      syslog.tls.rules                    | nginx=apache | comma-separated service=format rules
      ingest.ack                          | sometimes | durable or fast
      ingest.queue_events                 | 0        | a whole number from 1
      ingest.queue_events                 | 3000000000 | a whole number from 1
      ingest.max_group_events             | -5       | a whole number from 1
      storage.retention.max_age           | 30       | a duration such as
      storage.retention.max_age           | 1w       | a duration such as
      storage.retention.max_age           | -1d      | a duration such as
      storage.retention.max_disk          | 0%       | a percent of the volume
      storage.retention.max_disk          | 101%     | a percent of the volume
      storage.retention.max_disk          | lots     | a percent of the volume
      storage.retention.interval          | 0        | a duration above 0
      storage.min_free_disk               | -1GiB    | a size such as
      storage.min_free_disk               | 1PB      | a size such as
      storage.min_free_disk               | 9999999TiB | a size such as
      storage.rocksdb.block_cache         | 0        | a size above 0
      storage.rocksdb.write_buffer        | 64 megs  | a size above 0
      storage.rocksdb.max_background_jobs | two      | a whole number from 1
      """)
  void eachBadValueNamesItsKey(String key, String value, String expected) {
    var e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, NO_ENV, Map.of(key, value)));
    assertEquals(key, e.key());
    assertTrue(e.getMessage().startsWith(key + " (from a command-line flag): expected "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().endsWith("got '" + value + "'"), e.getMessage());

    // The same value from the environment names the variable.
    String env = ConfigLoader.envVar(key);
    if (!value.isEmpty()) { // empty env vars are ignored
      e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(env, value), NO_FLAGS));
      assertTrue(e.getMessage().startsWith(key + " (from " + env + "): expected "), e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0          | 0
      1          | 1
      512        | 512
      1B         | 1
      1KB        | 1000
      1KiB       | 1024
      1kib       | 1024
      1 MiB      | 1048576
      100MiB     | 104857600
      1MB        | 1000000
      1GB        | 1000000000
      1GiB       | 1073741824
      2TB        | 2000000000000
      1TiB       | 1099511627776
      1.5KiB     | 1536
      1.5GB      | 1500000000
      0.5KB      | 500
      8191TiB    | 9006099743113216
      """)
  void sizes(String text, long bytes) {
    assertEquals(bytes, ConfigLoader.load(null, NO_ENV, Map.of("storage.min_free_disk", text))
        .storage().minFreeDiskBytes());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0      | PT0S
      0s     | PT0S
      500ms  | PT0.5S
      30s    | PT30S
      15m    | PT15M
      2h     | PT2H
      7d     | PT168H
      365d   | PT8760H
      """)
  void durations(String text, String iso) {
    assertEquals(Duration.parse(iso), ConfigLoader.load(null, NO_ENV, Map.of("storage.retention.max_age", text))
        .storage().retention().maxAge());
  }

  @ParameterizedTest(name = "{0} -> bytes {1}, percent {2}")
  @CsvSource(delimiter = '|', textBlock = """
      0       | 0           | 0
      0B      | 0           | 0
      50GiB   | 53687091200 | 0
      1000    | 1000        | 0
      80%     | 0           | 80
      100%    | 0           | 100
      0.5%    | 0           | 0.5
      12.5 %  | 0           | 12.5
      """)
  void diskBudgets(String text, long bytes, double percent) {
    LogdConfig.DiskBudget budget = ConfigLoader.load(null, NO_ENV, Map.of("storage.retention.max_disk", text))
        .storage().retention().maxDisk();
    assertEquals(new LogdConfig.DiskBudget(bytes, percent), budget);
    assertEquals(bytes > 0 || percent > 0, budget.isSet());
  }

  @Test
  void diskBudgetResolvesAgainstTheVolume() {
    assertEquals(800, new LogdConfig.DiskBudget(0, 80).resolve(1000));
    assertEquals(5, new LogdConfig.DiskBudget(5, 0).resolve(1000));
    assertEquals(Long.MAX_VALUE, LogdConfig.DiskBudget.NONE.resolve(1000));
  }

  @ParameterizedTest
  @CsvSource({"0.0.0.0", "127.0.0.1", "::", "::1", "[::1]", "fe80::1", "localhost", "logd.example.com", "host-1"})
  void bindAcceptsIpLiteralsAndHostnames(String bind) {
    String expected = bind.startsWith("[") ? bind.substring(1, bind.length() - 1) : bind;
    assertEquals(expected, ConfigLoader.load(null, NO_ENV, Map.of("syslog.bind", bind)).syslog().bind());
  }

  @Test
  void emptyOptionalValuesAreUnset() throws IOException {
    Path file = write("auth:\n  admin_key:\nsyslog:\n  tls:\n    cert: ~\n    key: \"\"\n");
    LogdConfig c = ConfigLoader.load(file, NO_ENV, NO_FLAGS);
    assertNull(c.auth().adminKey());
    assertNull(c.syslog().tls().cert());
    // A flag can unset what the file set.
    Path withKey = write("auth:\n  admin_key: abc\n");
    assertNull(ConfigLoader.load(withKey, NO_ENV, Map.of("auth.admin_key", "")).auth().adminKey());
  }

  @Test
  void tlsNeedsBothCertAndKey() throws IOException {
    Path cert = Files.writeString(tmp.resolve("c.pem"), "x");
    Path key = Files.writeString(tmp.resolve("k.pem"), "x");
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        null, Map.of("LOGD_SYSLOG_TLS_CERT", cert.toString()), NO_FLAGS));
    assertEquals("syslog.tls.key", e.key());
    assertTrue(e.getMessage().contains("syslog.tls.cert (from LOGD_SYSLOG_TLS_CERT)"), e.getMessage());

    LogdConfig c = ConfigLoader.load(null, Map.of(
        "LOGD_SYSLOG_TLS_CERT", cert.toString(), "LOGD_SYSLOG_TLS_KEY", key.toString()), NO_FLAGS);
    assertTrue(c.syslog().tls().enabled());
    assertEquals(cert, c.syslog().tls().cert());
    assertNotEquals(c.syslog().tls().cert(), c.syslog().tls().key());
  }

  // ------------------------------------------------------------------ helpers

  private Path write(String yaml) throws IOException {
    return Files.writeString(Files.createTempFile(tmp, "logd", ".yaml"), yaml);
  }

  /** config/logd.yaml at the repo root, found from the module's working directory. */
  private static Path repoConfig() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("config/logd.yaml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("config/logd.yaml not found above " + Path.of("").toAbsolutePath());
  }

  private static List<String> leafKeys(JsonNode node, String prefix) {
    List<String> out = new ArrayList<>();
    for (var field : node.properties()) {
      String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      if (field.getValue().isObject()) {
        out.addAll(leafKeys(field.getValue(), key));
      } else {
        out.add(key);
      }
    }
    return out;
  }

  /**
   * The YAML key of a leaf component path: its snake_case form, where a component may spell out
   * its unit (storage.min_free_disk is minFreeDiskBytes); null when no key matches.
   */
  private static String keyFor(String componentPath, Set<String> keys) {
    String snake = toSnake(componentPath);
    if (keys.contains(snake)) {
      return snake;
    }
    String unitless = snake.replaceAll("_bytes$", "");
    return keys.contains(unitless) ? unitless : null;
  }

  /** Leaf component paths ("storage.minFreeDiskBytes") to their snake_case form. */
  private static void componentPaths(Class<?> record, String prefix, Map<String, String> out) {
    for (RecordComponent rc : record.getRecordComponents()) {
      String path = prefix.isEmpty() ? rc.getName() : prefix + "." + rc.getName();
      if (rc.getType().isRecord() && !VALUE_RECORDS.contains(rc.getType())) {
        componentPaths(rc.getType(), path, out);
      } else {
        out.put(path, toSnake(path));
      }
    }
  }

  /** Leaf component path to its value, walking nested records reflectively. */
  private static Map<String, Object> leafValues(Record r, String prefix) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    for (RecordComponent rc : r.getClass().getRecordComponents()) {
      String path = prefix.isEmpty() ? rc.getName() : prefix + "." + rc.getName();
      Object value = rc.getAccessor().invoke(r);
      if (rc.getType().isRecord() && !VALUE_RECORDS.contains(rc.getType())) {
        out.putAll(leafValues((Record) value, path));
      } else {
        out.put(path, value);
      }
    }
    return out;
  }

  private static String toSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
