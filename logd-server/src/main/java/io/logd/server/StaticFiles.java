package io.logd.server;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's files, from the classpath: {@code /} is {@code dashboard/index.html}, {@code
 * /assets/…} the rest of {@code dashboard/}, and {@code /vendor/uplot/…} uPlot's {@code dist/}
 * from its WebJar. Files are read once and kept (they are small). Every answer carries a strict
 * Content-Security-Policy: scripts, styles and connections from this origin only.
 */
final class StaticFiles {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json; charset=utf-8",
      "txt", "text/plain; charset=utf-8");

  private record File(byte[] bytes, String type, boolean immutable) {}

  private final String uplotDir;
  private final ConcurrentHashMap<String, Optional<File>> cache = new ConcurrentHashMap<>();

  StaticFiles() {
    this.uplotDir = "META-INF/resources/webjars/uplot/" + webjarVersion("org.webjars.npm", "uplot") + "/dist/";
  }

  /** Whether {@code path} is one of ours (so the router answers it here, not with 404 JSON). */
  static boolean handles(String path) {
    return path.equals("/") || path.equals("/index.html") || path.startsWith("/assets/") || path.startsWith("/vendor/");
  }

  /** The file at {@code path}, or a 404 page. */
  FullHttpResponse get(String path) {
    Optional<File> f = cache.computeIfAbsent(path, this::load);
    if (f.isEmpty()) {
      return secured(HttpResponses.error(HttpResponseStatus.NOT_FOUND, HttpResponses.NOT_FOUND, "no such file"));
    }
    File file = f.get();
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.wrappedBuffer(file.bytes()));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, file.type());
    // Our own files change with every release: revalidate. uPlot's path carries its version.
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, file.immutable() ? "public, max-age=604800, immutable" : "no-cache");
    return secured(r);
  }

  static FullHttpResponse secured(FullHttpResponse r) {
    r.headers().set("Content-Security-Policy", CSP);
    r.headers().set("X-Content-Type-Options", "nosniff");
    r.headers().set("Referrer-Policy", "no-referrer");
    r.headers().set("X-Frame-Options", "DENY");
    return r;
  }

  private Optional<File> load(String path) {
    String resource;
    boolean immutable = false;
    if (path.equals("/") || path.equals("/index.html")) {
      resource = "dashboard/index.html";
    } else if (path.startsWith("/assets/")) {
      resource = "dashboard/" + path.substring("/assets/".length());
    } else if (path.startsWith("/vendor/uplot/")) {
      resource = uplotDir + path.substring("/vendor/uplot/".length());
      immutable = true;
    } else {
      return Optional.empty();
    }
    if (resource.contains("..") || resource.contains("//") || resource.endsWith("/") || resource.contains("\\")) {
      return Optional.empty();
    }
    int dot = resource.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(resource.substring(dot + 1));
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(new File(in.readAllBytes(), type, immutable));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A WebJar's version, from the pom.properties Maven packs into it. */
  private static String webjarVersion(String group, String artifact) {
    String props = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(props)) {
      if (in == null) {
        throw new IllegalStateException(props + " is missing: the " + artifact + " WebJar is not on the classpath");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
