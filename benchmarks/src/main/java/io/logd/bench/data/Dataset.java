package io.logd.bench.data;

import io.logd.event.LogEvent;
import io.logd.testing.TestEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded stream of events mixed from the generators of this package. The mix is named:
 *
 * <ul>
 *   <li>{@code mixed}: 60 % nginx access, 25 % application, 8 % proxy, 7 % host syslog;
 *   <li>{@code access}, {@code app}, {@code proxy}, {@code system}: one generator alone;
 *   <li>{@code simple}: {@code TestEvents.nginx} from logd-core's tests (one service, eight paths,
 *       uniform IPs), the events the issue 2 to 5 figures were measured with;
 *   <li>or weights such as {@code access:70,app:30}.
 * </ul>
 *
 * The same mix, seed and sequence of times give the same events. Not thread-safe: give each
 * thread its own {@link #split() split} (splits are deterministic too).
 */
public final class Dataset {
  /** The generators a mix draws from. */
  public enum Kind {
    ACCESS, APP, PROXY, SYSTEM, SIMPLE
  }

  private final String spec;
  private final long seed;
  private final Kind[] kinds;
  private final int[] cumulative;
  private final SplittableRandom rnd;
  private final AccessLogs access;
  private final AppLogs app;
  private final ProxyLogs proxy;
  private final SystemLogs system;
  private long n;

  private Dataset(String spec, long seed, Kind[] kinds, int[] cumulative, SplittableRandom rnd, AccessLogs access) {
    this.spec = spec;
    this.seed = seed;
    this.kinds = kinds;
    this.cumulative = cumulative;
    this.rnd = rnd;
    this.access = access;
    this.app = new AppLogs(access);
    this.proxy = new ProxyLogs(access);
    this.system = new SystemLogs(access);
  }

  /**
   * The dataset named by {@code spec} (see the class comment) for {@code seed}.
   *
   * @throws IllegalArgumentException for an unknown name or a bad weight
   */
  public static Dataset of(String spec, long seed) {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    String weights = switch (s) {
      case "mixed" -> "access:60,app:25,proxy:8,system:7";
      case "access", "app", "proxy", "system", "simple" -> s + ":1";
      default -> s;
    };
    List<Kind> kinds = new ArrayList<>();
    List<Integer> cumulative = new ArrayList<>();
    int total = 0;
    for (String part : weights.split(",")) {
      String[] kv = part.split(":");
      if (kv.length != 2) {
        throw new IllegalArgumentException("dataset: expected a name or kind:weight,..., got '" + spec + "'");
      }
      Kind kind;
      int weight;
      try {
        kind = Kind.valueOf(kv[0].strip().toUpperCase(Locale.ROOT));
        weight = Integer.parseInt(kv[1].strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("dataset: bad part '" + part + "' in '" + spec + "'");
      }
      if (weight <= 0) {
        throw new IllegalArgumentException("dataset: weights must be positive in '" + spec + "'");
      }
      total += weight;
      kinds.add(kind);
      cumulative.add(total);
    }
    return new Dataset(spec, seed, kinds.toArray(Kind[]::new), cumulative.stream().mapToInt(Integer::intValue).toArray(),
        new SplittableRandom(seed), new AccessLogs(seed));
  }

  /** An independent stream of the same mix and fleet, seeded from this one. */
  public Dataset split() {
    return new Dataset(spec, seed, kinds, cumulative, rnd.split(), access);
  }

  /** The next event, at {@code timeNanos}. */
  public LogEvent next(long timeNanos) {
    int u = rnd.nextInt(cumulative[cumulative.length - 1]);
    int i = 0;
    while (u >= cumulative[i]) {
      i++;
    }
    return switch (kinds[i]) {
      case ACCESS -> access.next(rnd, timeNanos);
      case APP -> app.next(rnd, timeNanos);
      case PROXY -> proxy.next(rnd, timeNanos);
      case SYSTEM -> system.next(rnd, timeNanos);
      case SIMPLE -> TestEvents.nginx(rnd, timeNanos, n++);
    };
  }

  public String spec() {
    return spec;
  }

  public long seed() {
    return seed;
  }

  @Override
  public String toString() {
    return "dataset " + spec + " seed " + seed;
  }
}
