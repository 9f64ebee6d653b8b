package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, which
 * {@code .ci/run} installs), driven by Selenium against a real server on port 0 with seeded
 * events. Screenshots go to {@code target/dashboard/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {
  static final String ADMIN = "dashboard-admin-key-0123456789";
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "dashboard");
  static final List<String> SERVICES = List.of("checkout", "payments", "search", "auth", "nginx");
  static final int EVENTS = 640;

  Path dir;
  Path profile;
  TestServer running;
  ChromeDriver driver;
  WebDriverWait wait;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** What was seeded, to check the dashboard's numbers against. */
  int errors;
  int checkout;
  /**
   * The seeded span as URL parameters: two hours up to a minute boundary after the last seeded
   * event, so events the tests ingest later (now) fall outside it, even in rollup minutes.
   */
  String span;

  @BeforeAll
  void start() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (System.getenv("CI") != null) {
      assertTrue(present, "CI must install chromium and chromium-driver (see .ci/run)");
    }
    assumeTrue(present, "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
    dir = Files.createTempDirectory("logd-dashboard-it");
    running = TestServer.start(dir.resolve("data"), ADMIN, Map.of("rollups.flush_interval", "1s"));
    seed();

    profile = Files.createTempDirectory("logd-chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--window-size=1400,900", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  void stop() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (running != null) {
      running.close();
    }
  }

  @BeforeEach
  void signedIn() {
    driver.get(running.url("/"));
    until(d -> d.findElement(By.id("signin")).isDisplayed() || d.findElement(By.id("app")).isDisplayed());
    if (driver.findElement(By.id("app")).isDisplayed() && !text("#whoami").startsWith("tenant default · admin")) {
      signOutIfIn(); // a test that failed half-way may have left another key signed in
    }
    if (driver.findElement(By.id("signin")).isDisplayed()) {
      signIn(ADMIN);
    }
  }

  /** Events over the last 50 minutes: services, levels, statuses, latencies, client IPs. */
  void seed() throws Exception {
    SplittableRandom rnd = new SplittableRandom(20261204);
    long now = System.currentTimeMillis();
    Instant to = Instant.ofEpochMilli((now - 60_000) / 60_000 * 60_000);
    span = "from=" + to.minus(Duration.ofHours(2)) + "&to=" + to;
    StringBuilder ndjson = new StringBuilder();
    String[] levels = {"info", "info", "info", "info", "debug", "warn", "error"};
    for (int i = 0; i < EVENTS; i++) {
      String service = SERVICES.get(rnd.nextInt(SERVICES.size()));
      String level = levels[rnd.nextInt(levels.length)];
      int status = level.equals("error") ? 503 : 200;
      errors += level.equals("error") ? 1 : 0;
      checkout += service.equals("checkout") ? 1 : 0;
      String message = level.equals("error") ? "upstream connection refused to 10.0.0." + rnd.nextInt(9)
          : "GET /api/v1/items/" + rnd.nextInt(500) + " done";
      ndjson.append(HttpResponses.JSON.writeValueAsString(Map.of(
          "timestamp", Instant.ofEpochMilli(now - 120_000 - rnd.nextLong(50 * 60_000L)).toString(),
          "service", service, "host", "web-" + (1 + rnd.nextInt(3)), "level", level, "message", message,
          "status", status, "latency_ms", 1 + rnd.nextInt(400), "client_ip", "10.1.2." + rnd.nextInt(30)))).append('\n');
    }
    assertEquals(200, post("/api/v1/logs/bulk", ndjson.toString()).statusCode());
    // Searchable within 1 s, counted in the rollups within a flush (1 s here).
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode overview = json(get("/api/v1/metrics/overview?" + span));
      JsonNode page = json(get("/api/v1/logs?page_size=1&" + span));
      if (overview.path("total").asLong() == EVENTS && page.path("total").asLong() == EVENTS) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the seeded events were not searchable and counted in time");
  }

  @Test
  void signInRendersTheOverviewWithSeededData() throws Exception {
    signOutIfIn();
    WebElement key = until(d -> d.findElement(By.id("signin-key")));
    key.sendKeys("not-a-key-0123456789");
    key.sendKeys(Keys.ENTER);
    WebElement error = until(d -> visible(By.id("signin-error")));
    assertTrue(error.getText().contains("unknown or has been revoked"), error.getText());
    signIn(ADMIN);

    // The session is an HttpOnly, SameSite=Strict cookie; the key is kept nowhere in the page.
    Cookie cookie = driver.manage().getCookieNamed("logd_session");
    assertTrue(cookie.isHttpOnly());
    assertEquals("Strict", cookie.getSameSite());
    String stored = (String) js("return document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"
        + " + location.href + document.getElementById('signin-key').value");
    assertFalse(stored.contains(ADMIN), stored);
    assertFalse(stored.contains("logd_session"), "HttpOnly: scripts cannot read the cookie");

    open(running.url("/#/overview?" + span));
    WebElement chart = until(d -> d.findElement(By.cssSelector("#levels-chart[data-total]")));
    until(d -> d.findElements(By.cssSelector("#levels-chart canvas")).size() == 1);
    assertEquals(EVENTS, Integer.parseInt(chart.getAttribute("data-total")), "every seeded event is in the stacked bars");
    int points = Integer.parseInt(chart.getAttribute("data-points"));
    assertTrue(points == 24 || points == 25, "2 h in 5-minute bars: " + points);
    assertTrue(canvasHasInk("#levels-chart canvas"), "the bars are drawn");
    assertEquals(String.format("%,d", EVENTS), text("#kpi-total .value"));
    assertEquals(String.format("%.1f %%", 100.0 * errors / EVENTS), text("#kpi-errors .value"));
    assertTrue(text("#kpi-errors .sub").startsWith(String.format("%,d errors", errors)), text("#kpi-errors .sub"));
    assertTrue(text("#lat-p99").endsWith("ms"), text("#lat-p99"));
    List<String> services = texts("#top-service .top-value");
    assertEquals(SERVICES.size(), services.size());
    assertTrue(services.containsAll(SERVICES), services.toString());
    assertEquals(3, texts("#top-host .top-value").size());
    assertEquals(List.of("200", "503"), texts("#top-status .top-value"));
    assertFalse(texts("#top-source_ip .top-value").isEmpty());
    screenshot("overview");

    // A top value opens the search for it.
    driver.findElement(By.cssSelector("#top-status .top-item")).click();
    until(d -> hash().startsWith("#/search"));
    assertEquals("status:200", query());
  }

  @Test
  void searchShowsResultsAndPagesOnScroll() throws Exception {
    open(running.url("/#/search?q=service:checkout&" + span));
    waitForResults();
    assertEquals(String.format("%,d events", checkout), text("#hits-total"));
    List<String> services = texts("tbody.event .c-service");
    assertEquals(Math.min(100, checkout), services.size());
    assertTrue(services.stream().allMatch("checkout"::equals), services.toString());
    assertTrue(canvasHasInk("#hits-chart canvas"), "the hits histogram is drawn");
    List<String> times = new ArrayList<>();
    driver.findElements(By.cssSelector("tbody.event time")).forEach(t -> times.add(t.getAttribute("datetime")));
    List<String> sorted = new ArrayList<>(times);
    sorted.sort(java.util.Comparator.reverseOrder());
    assertEquals(sorted, times, "newest first");
    screenshot("search");

    // All events: scrolling to the end loads the next pages through the cursor.
    open(running.url("/#/search?" + span));
    waitForResults();
    for (int i = 0; i < 20 && rows() < EVENTS; i++) {
      int before = rows();
      js("window.scrollTo(0, document.documentElement.scrollHeight)");
      until(d -> rows() > before || rows() == EVENTS);
    }
    assertEquals(EVENTS, rows());
    until(d -> text("#more").equals("That is all."));
    assertEquals(EVENTS, (long) js("return new Set([...document.querySelectorAll('tbody.event')].map(b => b.dataset.id)).size"),
        "no event twice across pages");

    // Export links carry the query and the pinned time range.
    String href = driver.findElement(By.id("export-ndjson")).getAttribute("href");
    HttpResponse<String> export = http.send(HttpRequest.newBuilder(URI.create(href))
        .header("Cookie", "logd_session=" + driver.manage().getCookieNamed("logd_session").getValue()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, export.statusCode());
    assertEquals(EVENTS, export.body().lines().count());
  }

  @Test
  void clickingAFacetNarrowsTheResults() throws Exception {
    open(running.url("/#/search?" + span));
    waitForResults();
    String loaded = loadedMark();
    driver.findElement(By.cssSelector(".facet-value[data-field='level'][data-value='error']")).click();
    waitForResults(loaded);
    assertEquals("level:error", query());
    assertEquals(String.format("%,d events", errors), text("#hits-total"));
    assertTrue(texts("tbody.event .c-level").stream().allMatch("error"::equals));

    loaded = loadedMark();
    driver.findElement(By.cssSelector(".facet-exclude[data-field='service'][data-value='checkout']")).click();
    waitForResults(loaded);
    assertEquals("level:error AND NOT service:checkout", query());
    List<String> services = texts("tbody.event .c-service");
    assertFalse(services.isEmpty());
    assertFalse(services.contains("checkout"), services.toString());
    long expected = json(get("/api/v1/logs?page_size=1&" + span + "&q="
        + URLEncoder.encode("level:error AND NOT service:checkout", StandardCharsets.UTF_8))).path("total").asLong();
    assertEquals(String.format("%,d events", expected), text("#hits-total"));
    screenshot("facets");

    // The URL is the view: opening it afresh shows the same search.
    String url = driver.getCurrentUrl();
    driver.get("about:blank");
    driver.get(url);
    waitForResults();
    assertEquals("level:error AND NOT service:checkout", driver.findElement(By.id("q")).getAttribute("value"));
  }

  @Test
  void aRowOpensToTheWholeEventAndItsContext() throws Exception {
    open(running.url("/#/search?q=service:payments&" + span));
    waitForResults();
    // By keyboard: Tab to the first row's button, Enter opens it.
    WebElement open = driver.findElement(By.cssSelector("tbody.event button.open"));
    js("arguments[0].focus()", open);
    open.sendKeys(Keys.ENTER);
    assertEquals("true", open.getAttribute("aria-expanded"));
    WebElement json = until(d -> visible(By.cssSelector("tbody.event pre.json")));
    String id = driver.findElement(By.cssSelector("tbody.event")).getAttribute("data-id");
    JsonNode shown = HttpResponses.JSON.readTree(json.getText());
    assertEquals(id, shown.path("id").asText());
    assertEquals("payments", shown.path("service").asText());
    // A field's + narrows the query to it.
    String loaded = loadedMark();
    driver.findElement(By.cssSelector("tbody.event .kv button[aria-label^='Filter to host']")).click();
    waitForResults(loaded);
    assertEquals("service:payments AND host:" + shown.path("host").asText(), query());

    driver.findElement(By.cssSelector("tbody.event button.open")).click();
    String contextId = driver.findElement(By.cssSelector("tbody.event")).getAttribute("data-id");
    until(d -> visible(By.linkText("Show context (surrounding events)"))).click();
    until(d -> hash().startsWith("#/context"));
    WebElement current = until(d -> d.findElement(By.cssSelector(".context tbody.current")));
    assertEquals(contextId, current.getAttribute("data-id"));
    assertTrue(driver.findElements(By.cssSelector(".context tbody.event")).size() > 1, "events around it");
    screenshot("context");
  }

  @Test
  void dragAcrossTheHistogramZoomsTheTimeRange() {
    open(running.url("/#/search?" + span));
    waitForResults();
    WebElement over = driver.findElement(By.cssSelector("#hits-chart .u-over"));
    int w = over.getSize().getWidth();
    String loaded = loadedMark();
    new Actions(driver).moveToElement(over, -w / 4, 0).clickAndHold().moveByOffset(w / 3, 0).release().perform();
    waitForResults(loaded);
    String from = param("from");
    String to = param("to");
    Instant a = Instant.parse(from);
    Instant b = Instant.parse(to);
    assertTrue(a.isBefore(b), from + " " + to);
    assertTrue(Duration.between(a, b).toMinutes() < 60, "a third of two hours, about 40 minutes: " + from + " .. " + to);
    assertTrue(driver.findElement(By.cssSelector(".range-label")).getText().contains("→"));
  }

  @Test
  void liveTailShowsANewlyIngestedEventAndPauses() throws Exception {
    open(running.url("/#/tail"));
    until(d -> "live".equals(d.findElement(By.id("tail-status")).getAttribute("data-state")));
    assertEquals(200, post("/api/v1/logs", "{\"service\":\"tailtest\",\"level\":\"warn\",\"message\":\"first live event\"}")
        .statusCode());
    until(d -> texts("tbody.event .c-message").contains("first live event"));

    driver.findElement(By.id("tail-pause")).click();
    assertEquals("true", driver.findElement(By.id("tail-pause")).getAttribute("aria-pressed"));
    assertEquals(200, post("/api/v1/logs", "{\"service\":\"tailtest\",\"message\":\"while paused\"}").statusCode());
    until(d -> text("#tail-counts").contains("1 waiting"));
    assertFalse(texts("tbody.event .c-message").contains("while paused"));
    driver.findElement(By.id("tail-pause")).click();
    until(d -> texts("tbody.event .c-message").equals(List.of("while paused", "first live event")));

    // The filter is evaluated per event on the server.
    WebElement filter = driver.findElement(By.id("tail-q"));
    filter.sendKeys("level:error");
    filter.sendKeys(Keys.ENTER);
    until(d -> hash().contains("q=level"));
    until(d -> "live".equals(d.findElement(By.id("tail-status")).getAttribute("data-state"))
        && text("#tail-state").contains("filtered"));
    post("/api/v1/logs", "[{\"service\":\"tailtest\",\"level\":\"info\",\"message\":\"not shown\"},"
        + "{\"service\":\"tailtest\",\"level\":\"error\",\"message\":\"shown: an error\"}]");
    until(d -> texts("tbody.event .c-message").contains("shown: an error"));
    assertFalse(texts("tbody.event .c-message").contains("not shown"));
    screenshot("tail");
  }

  @Test
  void aBadQueryShowsItsErrorAtItsPosition() throws IOException {
    open(running.url("/#/search?" + span));
    waitForResults();
    WebElement q = driver.findElement(By.id("q"));
    q.sendKeys("status:[500 TO");
    q.sendKeys(Keys.ENTER);
    WebElement box = until(d -> visible(By.id("query-error")));
    assertTrue(box.getText().contains("does not parse"), box.getText());
    assertEquals("true", q.getAttribute("aria-invalid"));
    String echo = driver.findElement(By.cssSelector("#query-error .query-echo")).getText();
    assertTrue(echo.startsWith("status:[500 TO"), echo);
    assertEquals(0, rows(), "no stale results beside the error");
    screenshot("query-error");

    // Fixing it clears the error.
    q.clear();
    q.sendKeys("status:[500 TO 599]");
    q.sendKeys(Keys.ENTER);
    until(d -> !d.findElement(By.id("query-error")).isDisplayed());
    waitForResults();
    assertEquals(String.format("%,d events", errors), text("#hits-total"));
  }

  @Test
  void keyboardSlashFocusesTheQuery() {
    open(running.url("/#/overview?" + span));
    until(d -> d.findElement(By.cssSelector("#levels-chart[data-total]")));
    driver.findElement(By.tagName("body")).sendKeys("/");
    until(d -> hash().startsWith("#/search"));
    until(d -> "q".equals(d.switchTo().activeElement().getAttribute("id")));
    // Every control has a name a screen reader can say.
    @SuppressWarnings("unchecked")
    List<String> unlabelled = (List<String>) js("return [...document.querySelectorAll('input, select, button')]"
        + ".filter(e => e.offsetParent !== null)"
        + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim() && !e.title)"
        + ".map(e => e.outerHTML)");
    assertEquals(List.of(), unlabelled);
  }

  @Test
  void adminCreatesAndRevokesKeysAndTenants() throws Exception {
    open(running.url("/#/admin"));
    until(d -> d.findElements(By.cssSelector("#keys tr[data-key]")).size() >= 1);
    driver.findElement(By.id("tenant-name")).sendKeys("acme");
    driver.findElement(By.cssSelector("#tenant-form button[type=submit]")).click();
    until(d -> !d.findElements(By.cssSelector("#tenants tr[data-tenant='acme']")).isEmpty());

    driver.findElement(By.id("key-name")).sendKeys("grafana");
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("key-role"))).selectByValue("read");
    until(d -> !d.findElements(By.cssSelector("#key-tenant option[value='acme']")).isEmpty());
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("key-tenant"))).selectByValue("acme");
    driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
    WebElement secret = until(d -> visible(By.id("new-key-secret")));
    String key = secret.getAttribute("value");
    assertTrue(key.length() > 20, key);
    JsonNode keys = json(get("/api/v1/keys"));
    String id = null;
    for (JsonNode k : keys.path("keys")) {
      if (k.path("name").asText().equals("grafana")) {
        id = k.path("id").asText();
        assertEquals("acme", k.path("tenant").asText());
        assertEquals("read", k.path("role").asText());
      }
    }
    assertNotEquals(null, id);
    screenshot("admin");

    // The new read key signs in, sees its tenant only, and has no Admin view.
    signOutIfIn();
    signIn(key);
    assertTrue(text("#whoami").contains("acme"), text("#whoami"));
    assertFalse(driver.findElement(By.id("nav-admin")).isDisplayed());
    open(running.url("/#/search?" + span));
    waitForResults();
    assertEquals(0, rows(), "tenant acme has no events");
    open(running.url("/#/admin"));
    until(d -> hash().startsWith("#/overview"));

    signOutIfIn();
    signIn(ADMIN);
    open(running.url("/#/admin"));
    String revokedId = id;
    WebElement revoke = until(d -> d.findElement(By.cssSelector("[data-revoke='" + revokedId + "']")));
    revoke.click();
    driver.findElement(By.cssSelector("[data-confirm='" + revokedId + "']")).click();
    until(d -> d.findElement(By.cssSelector("#keys tr[data-key='" + revokedId + "']")).getText().contains("revoked"));
    assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(running.url("/api/v1/logs")))
        .header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  void signOutEndsTheSessionOnTheServer() throws Exception {
    String token = driver.manage().getCookieNamed("logd_session").getValue();
    driver.findElement(By.id("signout")).click();
    until(d -> visible(By.id("signin")));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(running.url("/api/v1/logs")))
        .header("Cookie", "logd_session=" + token).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode(), "the old cookie no longer works");
    open(running.url("/#/search"));
    until(d -> visible(By.id("signin")));
  }

  @Test
  void darkThemeFollowsTheSystem() throws Exception {
    open(running.url("/#/overview?" + span));
    until(d -> d.findElement(By.cssSelector("#levels-chart[data-total]")));
    String light = (String) js("return getComputedStyle(document.body).backgroundColor");
    driver.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    try {
      until(d -> !light.equals(js("return getComputedStyle(document.body).backgroundColor")));
      until(d -> d.findElements(By.cssSelector("#levels-chart canvas")).size() == 1);
      screenshot("overview-dark");
    } finally {
      driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Loads a dashboard URL afresh (a bare hash change would keep the page and its last results). */
  void open(String url) {
    driver.get("about:blank");
    driver.get(url);
  }

  void signIn(String key) {
    WebElement input = until(d -> visible(By.id("signin-key")));
    input.clear();
    input.sendKeys(key);
    driver.findElement(By.id("signin-submit")).click();
    until(d -> d.findElement(By.id("app")).isDisplayed());
  }

  void signOutIfIn() {
    if (driver.findElement(By.id("app")).isDisplayed()) {
      driver.findElement(By.id("signout")).click();
      until(d -> visible(By.id("signin")));
    }
  }

  void waitForResults() {
    until(d -> d.findElement(By.cssSelector(".view.search")).getAttribute("data-loaded") != null);
  }

  String loadedMark() {
    return driver.findElement(By.cssSelector(".view.search")).getAttribute("data-loaded");
  }

  /** Waits for a search to finish after the one marked {@code before}. */
  void waitForResults(String before) {
    until(d -> {
      String now = d.findElement(By.cssSelector(".view.search")).getAttribute("data-loaded");
      return now != null && !now.equals(before);
    });
  }

  int rows() {
    return driver.findElements(By.cssSelector("tbody.event")).size();
  }

  String hash() {
    return (String) js("return location.hash");
  }

  String query() {
    return param("q");
  }

  String param(String name) {
    String h = hash();
    int q = h.indexOf('?');
    for (String kv : (q < 0 ? "" : h.substring(q + 1)).split("&")) {
      if (kv.startsWith(name + "=")) {
        return URLDecoder.decode(kv.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  List<String> texts(String css) {
    return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  WebElement visible(By by) {
    WebElement e = driver.findElement(by);
    return e.isDisplayed() ? e : null;
  }

  /** Whether a canvas has any pixel that is not transparent. */
  boolean canvasHasInk(String css) {
    return (Boolean) js("const c = document.querySelector(arguments[0]);"
        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        + "for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false;", css);
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  <T> T until(Function<WebDriver, T> condition) {
    return wait.ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
  }

  void screenshot(String name) throws IOException {
    Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(running.url(path))).header("X-API-Key", ADMIN).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(running.url(path))).header("X-API-Key", ADMIN)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    assertEquals(200, r.statusCode(), r.body());
    return HttpResponses.JSON.readTree(r.body());
  }
}
