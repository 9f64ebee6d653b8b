package io.logd.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.logd.ingest.AckMode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import io.logd.parse.BodyFormat;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads {@link LogdConfig} from four layers, lowest to highest precedence:
 *
 * <ol>
 *   <li>the embedded defaults: {@code config/logd.yaml}, copied into the JAR at build time; its keys
 *       are the complete key set;
 *   <li>an optional user YAML file: the path given, else {@code LOGD_CONFIG};
 *   <li>environment variables: {@code LOGD_} + the dotted key in upper case with dots as underscores
 *       ({@code storage.retention.max_age} is {@code LOGD_STORAGE_RETENTION_MAX_AGE}), plus the
 *       alias {@code LOGD_ADMIN_KEY} for {@code auth.admin_key}; empty variables are ignored;
 *   <li>overrides, typically from command-line flags: dotted key to text value.
 * </ol>
 *
 * <p>Unknown keys in the file or the overrides, values of the wrong shape, and bad values throw
 * {@link ConfigException} naming the key. Unknown {@code LOGD_*} environment variables are ignored,
 * because the environment is shared with other tools (the CLI's {@code LOGD_URL}, for one).
 */
public final class ConfigLoader {
  /** The environment variable naming the user config file when none is given explicitly. */
  static final String CONFIG_ENV = "LOGD_CONFIG";

  private static final String ENV_PREFIX = "LOGD_";
  private static final String FLAG_ORIGIN = "from a command-line flag";
  private static final String DEFAULTS_ORIGIN = "in the embedded defaults";

  // Strict duplicates: a key given twice in one file is a mistake, not "last one wins".
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** Environment names kept for the documented contract (API.md) beside the generic ones. */
  private static final Map<String, List<String>> ENV_ALIASES =
      Map.of("auth.admin_key", List.of("LOGD_ADMIN_KEY"));

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file the user config file, or null to use {@code LOGD_CONFIG} from {@code env} (or no
   *     file when that is unset too); a file that does not exist is an error either way
   * @param env the environment, usually {@code System.getenv()}
   * @param overrides dotted key to value text, e.g. {@code "http.port" -> "0"}; highest precedence
   * @return the validated configuration; a relative {@code dataDir} is returned as is
   * @throws ConfigException naming the key for an unknown key, a map or list where a value belongs
   *     (or the reverse), or a bad value
   */
  public static LogdConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(overrides, "overrides");
    Schema schema = Embedded.SCHEMA;
    Map<String, Setting> merged = new LinkedHashMap<>(schema.defaults());

    String fileVia = null;
    if (file == null) {
      String fromEnv = env.get(CONFIG_ENV);
      if (fromEnv != null && !fromEnv.isBlank()) {
        fileVia = CONFIG_ENV;
        try {
          file = Path.of(fromEnv.trim());
        } catch (InvalidPathException e) {
          throw new ConfigException(null, CONFIG_ENV + ": not a valid path: '" + fromEnv + "'", e);
        }
      }
    }
    if (file != null) {
      merged.putAll(readFile(file, fileVia, schema));
    }
    merged.putAll(fromEnv(env, schema));
    merged.putAll(fromOverrides(overrides, schema));
    return build(merged);
  }

  /** The embedded defaults with nothing overridden; see {@link LogdConfig#defaults()}. */
  static LogdConfig defaults() {
    return Embedded.DEFAULTS;
  }

  /** Every dotted key, in the order of {@code logd.yaml}. */
  static Set<String> keys() {
    return Embedded.SCHEMA.defaults().keySet();
  }

  /** The generic environment variable for a dotted key: {@code http.port} is {@code LOGD_HTTP_PORT}. */
  static String envVar(String key) {
    return ENV_PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------- layers

  /** Where a value sits in the YAML tree; only a {@code SCALAR} is a usable value. */
  private enum Shape {
    SCALAR,
    MAP,
    LIST
  }

  /** One raw value and where it came from, for error messages (e.g. "from LOGD_HTTP_PORT"). */
  private record Setting(String text, Shape shape, String origin) {}

  /**
   * The key set, derived from the embedded file: leaf keys with their default settings, and the
   * sections (inner maps) between them.
   */
  private record Schema(Map<String, Setting> defaults, Set<String> sections) {
    boolean isKey(String key) {
      return defaults.containsKey(key);
    }

    /** The direct children of a section, for "expected a section with keys ..." messages. */
    List<String> children(String section) {
      Set<String> out = new LinkedHashSet<>();
      String prefix = section + ".";
      for (String k : defaults.keySet()) {
        if (k.startsWith(prefix)) {
          String rest = k.substring(prefix.length());
          int dot = rest.indexOf('.');
          out.add(dot < 0 ? rest : rest.substring(0, dot));
        }
      }
      return List.copyOf(out);
    }
  }

  /** Parsed once: the embedded file is part of the build, so a problem there is a bug. */
  private static final class Embedded {
    static final Schema SCHEMA = readSchema();
    static final LogdConfig DEFAULTS = build(SCHEMA.defaults());

    private static Schema readSchema() {
      String resource = "logd.yaml";
      JsonNode root;
      try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(
              "io/logd/config/logd.yaml is missing from the classpath; the build copies it from"
                  + " config/logd.yaml");
        }
        root = YAML.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the embedded logd.yaml", e);
      }
      Map<String, Setting> leaves = new LinkedHashMap<>();
      Set<String> sections = new HashSet<>();
      flattenDefaults(root, "", leaves, sections);
      Map<String, String> envNames = new LinkedHashMap<>();
      for (String key : leaves.keySet()) {
        for (String name : envNames(key)) {
          String clash = envNames.putIfAbsent(name, key);
          if (clash != null || name.equals(CONFIG_ENV)) {
            throw new IllegalStateException("environment variable " + name + " is ambiguous: " + key);
          }
        }
      }
      return new Schema(Collections.unmodifiableMap(leaves), Set.copyOf(sections));
    }

    private static void flattenDefaults(
        JsonNode node, String prefix, Map<String, Setting> leaves, Set<String> sections) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String key = join(prefix, field.getKey());
        JsonNode value = field.getValue();
        if (value.isObject()) {
          sections.add(key);
          flattenDefaults(value, key, leaves, sections);
        } else if (value.isValueNode() || value.isNull()) {
          leaves.put(key, new Setting(scalarText(value), Shape.SCALAR, DEFAULTS_ORIGIN));
        } else {
          throw new IllegalStateException("embedded logd.yaml: " + key + " must be a value or a map");
        }
      }
    }
  }

  private static Map<String, Setting> readFile(Path file, String via, Schema schema) {
    String named = via == null ? file.toString() : file + " (from " + via + ")";
    if (!Files.exists(file)) {
      throw new ConfigException(null, "config file " + named + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(null, "config file " + named + " is not a regular file");
    }
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw yamlError(named, e);
    } catch (IOException e) {
      throw new ConfigException(null, "cannot read config file " + named + ": " + e.getMessage(), e);
    }
    Map<String, Setting> out = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return out; // empty or comments only: all defaults
    }
    if (!root.isObject()) {
      throw new ConfigException(
          null, "config file " + named + ": expected a map of keys at the top level, got "
              + describe(root));
    }
    walkFile(root, "", "in " + file, schema, out);
    return out;
  }

  /** Walks a user file against the key set so every error names the full dotted key. */
  private static void walkFile(
      JsonNode node, String prefix, String origin, Schema schema, Map<String, Setting> out) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      // A dotted name ("http.port: 1" at the top) lands on the same key as the nested form.
      String key = join(prefix, field.getKey().trim());
      JsonNode value = field.getValue();
      if (schema.isKey(key)) {
        Shape shape =
            value.isObject() ? Shape.MAP : value.isArray() ? Shape.LIST : Shape.SCALAR;
        Setting previous = out.put(key, new Setting(scalarText(value), shape, origin));
        if (previous != null) {
          throw new ConfigException(key, key + " is set twice " + origin);
        }
      } else if (schema.sections().contains(key)) {
        if (value.isObject()) {
          walkFile(value, key, origin, schema, out);
        } else if (!value.isNull()) { // "storage:" with nothing under it is harmless
          throw new ConfigException(key, key + " (" + origin + "): expected a section with keys "
              + String.join(", ", schema.children(key)) + "; got " + describe(value));
        }
      } else {
        throw unknownKey(key, origin, schema);
      }
    }
  }

  private static Map<String, Setting> fromEnv(Map<String, String> env, Schema schema) {
    Map<String, Setting> out = new LinkedHashMap<>();
    // Look up each known key's names rather than scanning env: unrelated LOGD_* vars are not ours.
    for (String key : schema.defaults().keySet()) {
      Setting found = null;
      String foundName = null;
      for (String name : envNames(key)) {
        String text = env.get(name);
        if (text == null || text.isEmpty()) {
          continue;
        }
        if (found != null && !found.text().equals(text)) {
          throw new ConfigException(key, key + ": " + foundName + " and " + name
              + " are both set, to different values; unset one");
        }
        found = new Setting(text, Shape.SCALAR, "from " + name);
        foundName = name;
      }
      if (found != null) {
        out.put(key, found);
      }
    }
    return out;
  }

  private static Map<String, Setting> fromOverrides(Map<String, String> overrides, Schema schema) {
    Map<String, Setting> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String key = e.getKey().trim();
      if (schema.sections().contains(key)) {
        throw new ConfigException(key, key + " (" + FLAG_ORIGIN + ") is a section, not a key; set one"
            + " of " + String.join(", ", schema.children(key).stream().map(c -> key + "." + c).toList()));
      }
      if (!schema.isKey(key)) {
        throw unknownKey(key, FLAG_ORIGIN, schema);
      }
      out.put(key, new Setting(Objects.requireNonNullElse(e.getValue(), ""), Shape.SCALAR,
          FLAG_ORIGIN));
    }
    return out;
  }

  /** The generic name first, then any documented alias. */
  private static List<String> envNames(String key) {
    List<String> names = new ArrayList<>();
    names.add(envVar(key));
    names.addAll(ENV_ALIASES.getOrDefault(key, List.of()));
    return names;
  }

  // ---------------------------------------------------------------- typed values

  /** The one place that maps keys to {@link LogdConfig} components. */
  private static LogdConfig build(Map<String, Setting> settings) {
    Values v = new Values(settings);
    LogdConfig config = new LogdConfig(
        v.get("data_dir", Types.PATH),
        new LogdConfig.Http(
            v.get("http.bind", Types.BIND),
            v.get("http.port", Types.PORT),
            v.get("http.max_body_bytes", Types.POSITIVE_SIZE),
            v.get("http.max_inflight_body_bytes", Types.SIZE),
            v.get("http.rate_limit", Types.NON_NEGATIVE_INT),
            v.get("http.rate_burst", Types.POSITIVE_INT)),
        new LogdConfig.Syslog(
            v.get("syslog.bind", Types.BIND),
            v.get("syslog.timezone", Types.ZONE),
            v.get("syslog.max_frame", Types.POSITIVE_SIZE),
            v.get("syslog.idle_timeout", Types.DURATION),
            new LogdConfig.Udp(
                v.get("syslog.udp.enabled", Types.BOOLEAN),
                v.get("syslog.udp.port", Types.PORT),
                v.get("syslog.udp.receive_buffer", Types.POSITIVE_SIZE),
                v.get("syslog.udp.tenant", Types.NAME),
                v.get("syslog.udp.allow", Types.CIDRS),
                v.get("syslog.udp.format", Types.BODY_FORMAT),
                v.get("syslog.udp.rules", Types.PARSER_RULES)),
            new LogdConfig.Tcp(
                v.get("syslog.tcp.enabled", Types.BOOLEAN),
                v.get("syslog.tcp.port", Types.PORT),
                v.get("syslog.tcp.tenant", Types.NAME),
                v.get("syslog.tcp.allow", Types.CIDRS),
                v.get("syslog.tcp.format", Types.BODY_FORMAT),
                v.get("syslog.tcp.rules", Types.PARSER_RULES)),
            new LogdConfig.Tls(
                v.get("syslog.tls.port", Types.PORT),
                v.optional("syslog.tls.cert", Types.EXISTING_FILE),
                v.optional("syslog.tls.key", Types.EXISTING_FILE),
                v.get("syslog.tls.tenant", Types.NAME),
                v.get("syslog.tls.allow", Types.CIDRS),
                v.get("syslog.tls.format", Types.BODY_FORMAT),
                v.get("syslog.tls.rules", Types.PARSER_RULES))),
        new LogdConfig.Auth(v.optional("auth.admin_key", Types.API_KEY)),
        new LogdConfig.Ingest(
            v.get("ingest.ack", Types.ACK),
            v.get("ingest.queue_events", Types.POSITIVE_INT),
            v.get("ingest.max_group_events", Types.POSITIVE_INT)),
        new LogdConfig.Storage(
            new LogdConfig.Retention(
                v.get("storage.retention.max_age", Types.DURATION),
                v.get("storage.retention.max_disk", Types.DISK_BUDGET),
                v.get("storage.retention.interval", Types.POSITIVE_DURATION)),
            v.get("storage.min_free_disk", Types.SIZE),
            new LogdConfig.RocksDb(
                v.get("storage.rocksdb.block_cache", Types.POSITIVE_SIZE),
                v.get("storage.rocksdb.write_buffer", Types.POSITIVE_SIZE),
                v.get("storage.rocksdb.max_background_jobs", Types.POSITIVE_INT))),
        new LogdConfig.Index(
            v.get("index.refresh_interval", Types.POSITIVE_DURATION),
            v.get("index.commit_interval", Types.POSITIVE_DURATION),
            v.get("index.max_fields_per_event", Types.POSITIVE_INT),
            v.get("index.max_fields_per_day", Types.POSITIVE_INT),
            v.get("index.threads", Types.NON_NEGATIVE_INT)),
        new LogdConfig.Rollups(
            v.get("rollups.enabled", Types.BOOLEAN),
            v.get("rollups.flush_interval", Types.POSITIVE_DURATION),
            v.get("rollups.max_open_minutes", Types.POSITIVE_INT),
            v.get("rollups.max_keys", Types.POSITIVE_INT)));
    if (config.index().refreshInterval().toMillis() > 1000) {
      throw new ConfigException("index.refresh_interval", v.label("index.refresh_interval")
          + ": must be at most 1s (events must be searchable within 1 s), got "
          + config.index().refreshInterval());
    }
    if (config.rollups().flushInterval().toMillis() > 5000) {
      throw new ConfigException("rollups.flush_interval", v.label("rollups.flush_interval")
          + ": must be at most 5s (metrics must be at most 5 s behind), got " + config.rollups().flushInterval());
    }
    v.requireAllUsed();

    // TLS needs both halves; one alone is almost certainly a typo, not a wish for no TLS.
    var tls = config.syslog().tls();
    if ((tls.cert() == null) != (tls.key() == null)) {
      String set = tls.cert() != null ? "syslog.tls.cert" : "syslog.tls.key";
      String missing = tls.cert() != null ? "syslog.tls.key" : "syslog.tls.cert";
      throw new ConfigException(missing, missing + ": must be set too, since " + v.label(set)
          + " is set (syslog TLS needs both a certificate and a key)");
    }
    return config;
  }

  /** A value type: what an operator should write, and a parser returning null when it is not that. */
  private record Type<T>(String expected, Function<String, T> parser, boolean secret) {
    Type(String expected, Function<String, T> parser) {
      this(expected, parser, false);
    }
  }

  /** Reads typed values out of the merged settings, tracking which keys were used. */
  private static final class Values {
    private final Map<String, Setting> settings;
    private final Set<String> used = new HashSet<>();

    Values(Map<String, Setting> settings) {
      this.settings = settings;
    }

    <T> T get(String key, Type<T> type) {
      Setting s = setting(key);
      T value = s.shape() == Shape.SCALAR ? parse(type, s.text().trim()) : null;
      if (value == null) {
        String got = switch (s.shape()) {
          case SCALAR -> type.secret() ? "a value that is not (value not shown)" : "'" + s.text() + "'";
          case MAP -> "a map of keys";
          case LIST -> "a list";
        };
        throw new ConfigException(key, label(key) + ": expected " + type.expected() + ", got " + got);
      }
      return value;
    }

    /** An empty value means unset (null). */
    <T> T optional(String key, Type<T> type) {
      Setting s = setting(key);
      if (s.shape() == Shape.SCALAR && s.text().isBlank()) {
        return null;
      }
      return get(key, type);
    }

    String label(String key) {
      String origin = setting(key).origin();
      return DEFAULTS_ORIGIN.equals(origin) ? key : key + " (" + origin + ")";
    }

    private Setting setting(String key) {
      Setting s = settings.get(key);
      if (s == null) {
        throw new IllegalStateException("embedded logd.yaml has no key " + key);
      }
      used.add(key);
      return s;
    }

    private static <T> T parse(Type<T> type, String text) {
      try {
        return type.parser().apply(text);
      } catch (RuntimeException e) { // NumberFormatException, ArithmeticException, InvalidPath...
        return null;
      }
    }

    /** Catches a key added to logd.yaml without a LogdConfig component to carry it. */
    void requireAllUsed() {
      if (!used.containsAll(settings.keySet())) {
        Set<String> unused = new LinkedHashSet<>(settings.keySet());
        unused.removeAll(used);
        throw new IllegalStateException("logd.yaml keys not mapped to LogdConfig: " + unused);
      }
    }
  }

  /** Value types and their parsers. Parsers return null (or throw) for a bad value. */
  private static final class Types {
    private static final Pattern SIZE_PATTERN =
        Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
    private static final Pattern DURATION_PATTERN = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
    private static final Pattern IPV4 =
        Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HOSTNAME = Pattern.compile(
        "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);

    static final Type<Integer> PORT = new Type<>("a port 0..65535", t -> {
      int p = Integer.parseInt(requireDigits(t));
      return p <= 65535 ? p : null;
    });

    static final Type<Integer> POSITIVE_INT = new Type<>("a whole number from 1 to 2147483647", t -> {
      int n = Integer.parseInt(requireDigits(t));
      return n > 0 ? n : null;
    });

    static final Type<Integer> NON_NEGATIVE_INT = new Type<>("a whole number from 0 to 2147483647",
        t -> Integer.parseInt(requireDigits(t)));

    static final Type<Long> SIZE =
        new Type<>("a size such as 0, 1048576 (bytes), 512KiB, 64MiB or 1GB", Types::size);

    static final Type<Long> POSITIVE_SIZE = new Type<>(
        "a size above 0 such as 1048576 (bytes), 512KiB, 64MiB or 1GB", t -> {
          Long n = size(t);
          return n != null && n > 0 ? n : null;
        });

    static final Type<Duration> DURATION =
        new Type<>("a duration such as 500ms, 30s, 15m, 2h or 7d, or 0", Types::duration);

    static final Type<Duration> POSITIVE_DURATION =
        new Type<>("a duration above 0 such as 500ms, 30s, 15m, 2h or 7d", t -> {
          Duration d = duration(t);
          return d != null && d.isPositive() ? d : null;
        });

    static final Type<LogdConfig.DiskBudget> DISK_BUDGET = new Type<>(
        "0, a size such as 50GiB, or a percent of the volume above 0 and at most 100 such as 80%",
        t -> {
          Matcher m = PERCENT.matcher(t);
          if (m.matches()) {
            double p = Double.parseDouble(m.group(1));
            return p > 0 && p <= 100 ? new LogdConfig.DiskBudget(0, p) : null;
          }
          Long bytes = size(t);
          return bytes == null ? null
              : bytes == 0 ? LogdConfig.DiskBudget.NONE : new LogdConfig.DiskBudget(bytes, 0);
        });

    static final Type<Boolean> BOOLEAN = new Type<>("true or false", t -> switch (t.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> Boolean.TRUE;
      case "false", "no", "off" -> Boolean.FALSE;
      default -> null;
    });

    static final Type<ZoneId> ZONE = new Type<>(
        "a time zone ID such as UTC, Europe/Berlin or +02:00, or local for the host's zone",
        t -> t.equalsIgnoreCase("local") ? ZoneId.systemDefault() : ZoneId.of(t));

    static final Type<String> NAME = new Type<>("a tenant name (letters, digits, '-', '_' or '.')",
        t -> !t.isEmpty() && t.length() <= 64 && t.chars().allMatch(
            c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.') ? t : null);

    static final Type<List<Cidr>> CIDRS = new Type<>(
        "comma-separated address blocks such as 10.0.0.0/8, 192.168.1.7, ::1/128", t -> {
          List<Cidr> out = new ArrayList<>();
          for (String part : t.split(",", -1)) {
            if (part.isBlank() && t.isBlank()) {
              continue; // an empty list admits nobody, which is a legitimate way to close a listener
            }
            Cidr c = Cidr.parse(part);
            if (c == null) {
              return null;
            }
            out.add(c);
          }
          return List.copyOf(out);
        });

    private static final String FORMATS = "auto, raw, nginx, json, logfmt or xray";

    static final Type<BodyFormat> BODY_FORMAT = new Type<>(FORMATS, BodyFormat::parse);

    static final Type<List<LogdConfig.ParserRule>> PARSER_RULES = new Type<>(
        "comma-separated service=format rules such as nginx=nginx, xray*=xray (formats: " + FORMATS + ")",
        t -> {
          List<LogdConfig.ParserRule> out = new ArrayList<>();
          if (t.isBlank()) {
            return List.of();
          }
          for (String part : t.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
              return null;
            }
            String service = part.substring(0, eq).trim();
            BodyFormat format = BodyFormat.parse(part.substring(eq + 1));
            if (service.isEmpty() || format == null) {
              return null;
            }
            out.add(new LogdConfig.ParserRule(service, format));
          }
          return List.copyOf(out);
        });

    static final Type<AckMode> ACK = new Type<>("durable or fast", AckMode::parse);

    static final Type<String> BIND = new Type<>(
        "an IP address or hostname such as 0.0.0.0, 127.0.0.1, :: or localhost", Types::bind);

    static final Type<Path> PATH = new Type<>("a path", t -> t.isEmpty() ? null : Path.of(t));

    static final Type<Path> EXISTING_FILE = new Type<>("the path of an existing file", t -> {
      Path p = Path.of(t);
      return Files.isRegularFile(p) ? p : null;
    });

    /** Sent in HTTP headers, so printable ASCII without spaces; a secret, so errors never echo it. */
    static final Type<String> API_KEY = new Type<>(
        "a key of printable ASCII characters without spaces",
        t -> t.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? t : null, true);


    private Types() {}

    private static String requireDigits(String t) {
      if (t.isEmpty() || t.length() > 10 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new NumberFormatException(t);
      }
      return t;
    }

    /** Bytes; KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB powers of 1024; fractions round down. */
    static Long size(String t) {
      Matcher m = SIZE_PATTERN.matcher(t);
      if (!m.matches()) {
        return null;
      }
      long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
        case "", "B" -> 1L;
        case "KB" -> 1_000L;
        case "MB" -> 1_000_000L;
        case "GB" -> 1_000_000_000L;
        case "TB" -> 1_000_000_000_000L;
        case "KIB" -> 1L << 10;
        case "MIB" -> 1L << 20;
        case "GIB" -> 1L << 30;
        case "TIB" -> 1L << 40;
        default -> 0L;
      };
      if (unit == 0) {
        return null;
      }
      BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
      return bytes.compareTo(MAX_LONG) > 0 ? null : bytes.longValue();
    }

    /** A whole number with a unit; a bare number must be 0 because "30" could mean any unit. */
    static Duration duration(String t) {
      Matcher m = DURATION_PATTERN.matcher(t);
      if (!m.matches()) {
        return null;
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2);
      if (unit == null) {
        return n == 0 ? Duration.ZERO : null;
      }
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> null;
      };
    }

    /** A literal IP address or a syntactically valid hostname; never resolves anything. */
    static String bind(String t) {
      String host = t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
      if (host.indexOf(':') >= 0) {
        try {
          // Brackets make InetAddress treat it strictly as an IPv6 literal, with no DNS lookup.
          InetAddress.getByName("[" + host + "]");
          return host;
        } catch (UnknownHostException e) {
          return null;
        }
      }
      if (host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
        return IPV4.matcher(host).matches() ? host : null; // all digits: must be a real IPv4
      }
      return HOSTNAME.matcher(host).matches() ? host : null;
    }
  }

  // ---------------------------------------------------------------- helpers


  private static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** Scalar text; YAML null ({@code key:} or {@code ~}) reads as empty, which means unset. */
  private static String scalarText(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : "";
  }

  private static String describe(JsonNode node) {
    return node.isArray() ? "a list" : node.isObject() ? "a map of keys" : "'" + node.asText() + "'";
  }

  /** Names the duplicated key, or the YAML problem and where it is, in one line. */
  private static ConfigException yamlError(String file, JsonProcessingException e) {
    if (e.getProcessor() instanceof JsonParser parser
        && e.getOriginalMessage().startsWith("Duplicate field")) {
      // The parser stands on the duplicate: its path is the full key.
      String key = parser.getParsingContext().pathAsPointer().toString().substring(1).replace('/', '.');
      return new ConfigException(
          key, key + " is set twice in " + file + at(e.getLocation()), e);
    }
    String problem = e.getOriginalMessage();
    JsonLocation where = e.getLocation();
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
      // SnakeYAML's own message spans several lines with an ASCII-art pointer; keep the gist.
      problem = yaml.getProblem();
      Mark mark = yaml.getProblemMark();
      if (mark != null) {
        return new ConfigException(null, "config file " + file + " is not valid YAML (line "
            + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + "): " + problem, e);
      }
    }
    return new ConfigException(
        null, "config file " + file + " is not valid YAML" + at(where) + ": " + problem, e);
  }

  private static String at(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 1
        ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  private static ConfigException unknownKey(String key, String origin, Schema schema) {
    String where = origin.startsWith("in ") ? " " + origin : " (" + origin + ")";
    List<String> candidates = new ArrayList<>(schema.defaults().keySet());
    candidates.addAll(schema.sections());
    List<String> close = suggest(key, candidates);
    String hint = close.isEmpty() ? ""
        : "; did you mean " + String.join(" or ", close.stream().map(c -> "'" + c + "'").toList()) + "?";
    return new ConfigException(key, "unknown key '" + key + "'" + where + hint);
  }

  /**
   * Close spellings of the whole dotted key first; failing that, keys with the same last segment
   * (a right key under the wrong section, like {@code storage.max_age}).
   */
  private static List<String> suggest(String key, Collection<String> candidates) {
    int best = Integer.MAX_VALUE;
    List<String> out = new ArrayList<>();
    for (String c : candidates) {
      int d = distance(key, c);
      if (d < best) {
        best = d;
        out.clear();
      }
      if (d == best) {
        out.add(c);
      }
    }
    int allowed = Math.max(1, Math.min(3, key.length() / 4));
    if (best <= allowed) {
      return out.stream().sorted().limit(3).toList();
    }
    String last = key.substring(key.lastIndexOf('.') + 1);
    return candidates.stream()
        .filter(c -> !c.equals(key) && c.substring(c.lastIndexOf('.') + 1).equals(last))
        .sorted()
        .limit(3)
        .toList();
  }

  /** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("prot"/"port"). */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
