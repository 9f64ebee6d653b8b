package io.logd.server;

import io.logd.tenant.ApiKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard sessions: a random token in an HttpOnly, SameSite=Strict cookie stands for the API key
 * the user signed in with, so the browser never keeps the key. Sessions live in memory (a restart
 * signs everyone out), end on sign-out or after {@link #LIFETIME}, and follow their key: a revoked
 * key ends its sessions at their next request.
 */
final class Sessions {
  static final String COOKIE = "logd_session";
  static final Duration LIFETIME = Duration.ofHours(12);
  /** Most live sessions; past it the oldest are dropped (a cap against memory abuse). */
  static final int MAX = 10_000;

  /** A live session. */
  record Session(String token, String keyId, Instant expires) {}

  private final ConcurrentHashMap<String, Session> byToken = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  Sessions(Clock clock) {
    this.clock = clock;
  }

  Session create(ApiKey key) {
    if (byToken.size() >= MAX) {
      expire();
      byToken.values().stream().min(java.util.Comparator.comparing(Session::expires))
          .ifPresent(oldest -> byToken.remove(oldest.token()));
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    Session s = new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), key.id(),
        clock.instant().plus(LIFETIME));
    byToken.put(s.token(), s);
    return s;
  }

  /** The live session of a token; empty when unknown or expired. */
  Optional<Session> find(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return Optional.empty();
    }
    Session s = byToken.get(token);
    if (s == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(s.expires())) {
      byToken.remove(token);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  void end(String token) {
    if (token != null) {
      byToken.remove(token);
    }
  }

  private void expire() {
    Instant now = clock.instant();
    byToken.values().removeIf(s -> !now.isBefore(s.expires()));
  }

  /** The {@code Set-Cookie} value for a session, or one that clears the cookie when null. */
  static String cookie(Session s) {
    return s == null
        ? COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        : COOKIE + "=" + s.token() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + LIFETIME.toSeconds();
  }
}
