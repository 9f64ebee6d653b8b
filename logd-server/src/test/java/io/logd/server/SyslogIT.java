package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.logd.server.syslog.SyslogListeners;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog end to end with real senders: util-linux {@code logger} over UDP and TCP in every framing
 * and format, a real nginx shipping its access log, TLS with a self-signed certificate made by
 * {@code openssl}, and the listener settings (tenant, allowed sources, frame limit).
 */
class SyslogIT {
  private static final String ADMIN = "logd_syslog_it_admin_key_0123456789";

  @TempDir Path dir;
  TestServer running;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() throws IOException {
    if (running != null) {
      running.close();
    }
  }

  private SyslogListeners syslog() {
    return running.server.syslog().orElseThrow();
  }

  // ------------------------------------------------------------------ logger

  @Test
  void loggerOverUdpInRfc5424WithStructuredData() throws Exception {
    running = TestServer.startWithSyslog(dir, ADMIN, Map.of());
    run("logger", "-n", "127.0.0.1", "-P", port(syslog().udpPort()), "-d", "--rfc5424",
        "--sd-id", "exampleSDID@32473", "--sd-param", "iut=\"3\"", "--sd-param", "eventSource=\"Application\"",
        "-t", "udp5424", "-p", "user.warning", "disk almost full");
    JsonNode e = awaitOne("service:udp5424");
    assertEquals("disk almost full", e.path("message").asText());
    assertEquals("warn", e.path("level").asText());
    assertEquals("user", e.path("facility").asText());
    assertEquals("3", e.path("fields").path("exampleSDID@32473.iut").asText());
    assertEquals("Application", e.path("fields").path("exampleSDID@32473.eventSource").asText());
    assertEquals("1", e.path("fields").path("timeQuality.tzKnown").asText());
    assertFalse(e.path("fields").has("parse_error"), e.toString());
  }

  @Test
  void loggerOverUdpInRfc3164() throws Exception {
    running = TestServer.startWithSyslog(dir, ADMIN, Map.of());
    run("logger", "-n", "127.0.0.1", "-P", port(syslog().udpPort()), "-d", "--rfc3164",
        "-t", "udp3164", "-p", "local3.err", "-i", "backup failed: no space left");
    JsonNode e = awaitOne("service:udp3164");
    assertEquals("backup failed: no space left", e.path("message").asText());
    assertEquals("error", e.path("level").asText());
    assertEquals("local3", e.path("facility").asText());
    assertTrue(e.path("fields").path("pid").asLong() > 0, e.toString());
    assertFalse(e.path("host").asText().isEmpty(), e.toString());
  }

  @Test
  void loggerOverTcpWithAndWithoutOctetCounting() throws Exception {
    running = TestServer.startWithSyslog(dir, ADMIN, Map.of());
    Path lines = dir.resolve("lines.txt");
    List<String> text = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      text.add("line " + i + " of a file shipped by logger");
    }
    Files.write(lines, text);
    String tcp = port(syslog().tcpPort());
    run("logger", "-n", "127.0.0.1", "-P", tcp, "-T", "--rfc5424", "-t", "tcplf", "-f", lines.toString());
    run("logger", "-n", "127.0.0.1", "-P", tcp, "-T", "--octet-count", "--rfc5424", "-t", "tcpoctet",
        "-f", lines.toString());
    run("logger", "-n", "127.0.0.1", "-P", tcp, "-T", "--octet-count", "--rfc3164", "-t", "tcp3164",
        "multi word message with \"quotes\" and [brackets]");
    assertEquals(200, awaitCount("service:tcplf", 200));
    assertEquals(200, awaitCount("service:tcpoctet", 200));
    JsonNode e = awaitOne("service:tcp3164");
    assertEquals("multi word message with \"quotes\" and [brackets]", e.path("message").asText());
    JsonNode first = get("/api/v1/logs?q=" + enc("service:tcpoctet AND \"line 0 of\"") + "&limit=5");
    assertEquals(1, first.path("events").size(), first.toString());
  }

  // ------------------------------------------------------------------ nginx

  @Test
  void realNginxShipsItsAccessLogParsed() throws Exception {
    assumeTrue(onPath("nginx") || Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed");
    running = TestServer.startWithSyslog(dir, ADMIN, Map.of("syslog.udp.rules", "nginx=nginx"));
    int httpPort;
    try (var probe = new java.net.ServerSocket(0)) {
      httpPort = probe.getLocalPort();
    }
    Path prefix = Files.createDirectories(dir.resolve("nginx"));
    Files.createDirectories(prefix.resolve("logs"));
    Path conf = prefix.resolve("nginx.conf");
    Files.writeString(conf, """
        daemon off;
        master_process off;
        pid %1$s/nginx.pid;
        error_log %1$s/logs/error.log warn;
        events { worker_connections 64; }
        http {
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          access_log syslog:server=127.0.0.1:%2$d,tag=nginx combined;
          server {
            listen 127.0.0.1:%3$d;
            location / { return 200 "hello\\n"; }
            location /missing { return 404; }
          }
        }
        """.formatted(prefix, syslog().udpPort(), httpPort));
    String nginx = onPath("nginx") ? "nginx" : "/usr/sbin/nginx";
    Process p = new ProcessBuilder(nginx, "-p", prefix.toString(), "-c", conf.toString(), "-e", "stderr")
        .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
    try {
      String base = "http://127.0.0.1:" + httpPort;
      awaitHttp(base + "/");
      run("curl", "-s", "-o", "/dev/null", "-A", "logd-it/1.0 (nginx test)", "-e", "https://example.com/from",
          base + "/api/orders?id=42");
      run("curl", "-s", "-o", "/dev/null", "-A", "logd-it/1.0", base + "/missing/page.html");
      run("curl", "-s", "-o", "/dev/null", "-X", "POST", "-d", "x=1", base + "/submit");

      JsonNode ok = awaitOne("service:nginx AND path:\"/api/orders?id=42\"");
      JsonNode f = ok.path("fields");
      assertEquals("GET", f.path("method").asText(), ok.toString());
      assertEquals(200, f.path("status").asInt(), ok.toString());
      assertEquals(6, f.path("bytes").asLong(), ok.toString());
      assertEquals("127.0.0.1", f.path("client_ip").asText(), ok.toString());
      assertEquals("logd-it/1.0 (nginx test)", f.path("user_agent").asText(), ok.toString());
      assertEquals("https://example.com/from", f.path("referer").asText(), ok.toString());
      assertEquals("HTTP/1.1", f.path("protocol").asText(), ok.toString());
      assertEquals("info", ok.path("level").asText(), ok.toString());
      assertEquals("local7", ok.path("facility").asText(), ok.toString());

      JsonNode missing = awaitOne("service:nginx AND status:404");
      assertEquals("/missing/page.html", missing.path("fields").path("path").asText(), missing.toString());
      JsonNode post = awaitOne("service:nginx AND method:POST");
      assertEquals("/submit", post.path("fields").path("path").asText(), post.toString());
      // Typed fields: a range over status finds the 404 and nothing else.
      assertEquals(1, awaitCount("service:nginx AND status:[400 TO 499]", 1));
      assertEquals(1, awaitCount("client_ip:127.0.0.0/8 AND status:404", 1));
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  // ------------------------------------------------------------------ TLS

  @Test
  void tlsWithASelfSignedCertificate() throws Exception {
    assumeTrue(onPath("openssl"), "openssl is not installed");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(), "-out", cert.toString());
    running = TestServer.startWithSyslog(dir, ADMIN, Map.of(
        "syslog.tls.cert", cert.toString(), "syslog.tls.key", key.toString()));
    assertTrue(syslog().tlsPort() > 0);

    SSLContext ctx = trusting(cert);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", syslog().tlsPort())) {
      s.startHandshake();
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < 50; i++) {
        String msg = "<134>1 2026-11-23T10:00:00.000Z tls-host tlsapp 77 ID" + i + " - message " + i + " over tls";
        out.write((msg.getBytes(StandardCharsets.UTF_8).length + " " + msg).getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
    }
    assertEquals(50, awaitCount("service:tlsapp", 50));
    JsonNode e = awaitOne("service:tlsapp AND msgid:ID7");
    assertEquals("tls-host", e.path("host").asText());
    assertEquals("message 7 over tls", e.path("message").asText());
    assertEquals("local0", e.path("facility").asText());

    // A real TLS client other than the JVM's: openssl s_client, LF framing.
    Process client = new ProcessBuilder("openssl", "s_client", "-quiet", "-connect",
        "127.0.0.1:" + syslog().tlsPort(), "-CAfile", cert.toString()).redirectErrorStream(true).start();
    client.getOutputStream().write("<13>Nov 23 10:00:00 web-9 sclient[5]: via openssl s_client\n"
        .getBytes(StandardCharsets.UTF_8));
    client.getOutputStream().flush();
    JsonNode viaOpenssl = awaitOne("service:sclient");
    client.getOutputStream().close();
    client.waitFor(10, TimeUnit.SECONDS);
    client.destroyForcibly();
    assertEquals("via openssl s_client", viaOpenssl.path("message").asText());

    // Plain text to the TLS port is refused by the handshake and stores nothing.
    try (Socket plain = new Socket("127.0.0.1", syslog().tlsPort())) {
      plain.getOutputStream().write("<13>Nov 23 10:00:00 h plain: not encrypted\n".getBytes(StandardCharsets.UTF_8));
      plain.getOutputStream().flush();
      plain.setSoTimeout(5_000);
      assertEquals(-1, readUntilClosed(plain));
    }
    assertEquals(0, count("service:plain"));
  }

  // ------------------------------------------------------------------ listener settings

  @Test
  void listenersWriteToTheirTenantAndRefuseSourcesOutsideTheirBlocks() throws Exception {
    running = TestServer.startWithSyslog(dir, ADMIN, Map.of(
        "syslog.udp.tenant", "acme", "syslog.udp.allow", "127.0.0.0/8",
        "syslog.tcp.allow", "10.0.0.0/8, 2001:db8::/32"), "acme");
    run("logger", "-n", "127.0.0.1", "-P", port(syslog().udpPort()), "-d", "-t", "acmeapp", "for acme");
    run("logger", "-n", "127.0.0.1", "-P", port(syslog().tcpPort()), "-T", "-t", "refused", "from loopback");
    String acmeKey = createKey("acme");
    JsonNode e = awaitOne("service:acmeapp", acmeKey);
    assertEquals("acme", e.path("tenant").asText());
    assertEquals(0, count("service:acmeapp")); // not in tenant default
    String metrics = metrics();
    assertTrue(metrics.contains("logd_syslog_refused_sources_total{transport=\"tcp\"} 1"), metrics);
    assertTrue(metrics.contains("logd_syslog_received_total{transport=\"udp\"} 1"), metrics);
    assertEquals(0, count("service:refused"));
  }

  @Test
  void oversizedFramesAreTruncatedAndFlaggedAndTheStreamStaysInSync() throws Exception {
    running = TestServer.startWithSyslog(dir, ADMIN, Map.of("syslog.max_frame", "1KiB"));
    String big = "<13>1 2026-11-23T10:00:00Z h bigapp - - - " + "x".repeat(3000);
    String next = "<13>1 2026-11-23T10:00:01Z h bigapp - - - after the big one";
    String garbage = "<999>a priority out of range makes no syslog header";
    try (Socket s = new Socket("127.0.0.1", syslog().tcpPort())) {
      OutputStream out = s.getOutputStream();
      out.write((big + "\n" + next + "\n").getBytes(StandardCharsets.UTF_8));
      out.write((big.length() + " " + big).getBytes(StandardCharsets.UTF_8));
      out.write((next.length() + " " + next).getBytes(StandardCharsets.UTF_8));
      out.write((garbage + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    assertEquals(2, awaitCount("service:bigapp AND truncated:true", 2));
    assertEquals(2, awaitCount("service:bigapp AND \"after the big one\"", 2));
    JsonNode raw = awaitOne("\"no syslog header\"");
    assertEquals(garbage, raw.path("message").asText());
    assertTrue(raw.path("fields").path("parse_error").asText().startsWith("syslog:"), raw.toString());
    String metrics = metrics();
    assertTrue(metrics.contains("logd_syslog_truncated_total{transport=\"tcp\"} 2"), metrics);
    assertTrue(metrics.contains("logd_syslog_parse_errors_total{transport=\"tcp\"} 1"), metrics);
  }

  @Test
  void idleConnectionsAreClosed() throws Exception {
    running = TestServer.startWithSyslog(dir, ADMIN, Map.of("syslog.idle_timeout", "1s"));
    try (Socket s = new Socket("127.0.0.1", syslog().tcpPort())) {
      s.setSoTimeout(10_000);
      assertEquals(-1, readUntilClosed(s));
    }
  }

  // ------------------------------------------------------------------ helpers

  private static String port(int port) {
    assertTrue(port > 0, "listener not bound");
    return Integer.toString(port);
  }

  private static int readUntilClosed(Socket s) throws IOException {
    try {
      int b;
      while ((b = s.getInputStream().read()) != -1) {
        // TLS alerts and the like; keep reading until the server closes.
      }
      return b;
    } catch (javax.net.ssl.SSLException | java.net.SocketException e) {
      return -1; // a reset is a close too
    }
  }

  private static boolean onPath(String cmd) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, cmd))) {
        return true;
      }
    }
    return false;
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
  }

  private void awaitHttp(String url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private static SSLContext trusting(Path certPem) throws Exception {
    X509Certificate cert;
    try (var in = Files.newInputStream(certPem)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("logd", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private String createKey(String tenant) throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/keys", ADMIN,
        "{\"tenant\":\"" + tenant + "\",\"role\":\"read\",\"name\":\"it\"}");
    assertEquals(201, r.statusCode(), r.body());
    return HttpResponses.JSON.readTree(r.body()).path("key").asText();
  }

  private String metrics() throws Exception {
    return send("GET", "/metrics", null, null).body();
  }

  private HttpResponse<String> send(String method, String pathAndQuery, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(running.url(pathAndQuery)))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String pathAndQuery) throws Exception {
    return get(pathAndQuery, ADMIN);
  }

  private JsonNode get(String pathAndQuery, String key) throws Exception {
    HttpResponse<String> r = send("GET", pathAndQuery, key, null);
    assertEquals(200, r.statusCode(), r.body());
    return HttpResponses.JSON.readTree(r.body());
  }

  private int count(String q) throws Exception {
    running.logd.index().awaitSearchable();
    return get("/api/v1/logs?limit=1000&q=" + enc(q)).path("events").size();
  }

  /** Polls until {@code q} matches at least {@code n} events (or 30 s pass); returns the count. */
  private int awaitCount(String q, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int seen;
    do {
      seen = count(q);
      if (seen >= n) {
        return seen;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return seen;
  }

  private JsonNode awaitOne(String q) throws Exception {
    return awaitOne(q, ADMIN);
  }

  private JsonNode awaitOne(String q, String key) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    do {
      running.logd.index().awaitSearchable();
      JsonNode events = get("/api/v1/logs?limit=10&q=" + enc(q), key).path("events");
      if (events.size() == 1) {
        return events.get(0);
      }
      if (events.size() > 1) {
        fail("expected one event for " + q + ", got " + events);
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no event for " + q + " within 30 s");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
