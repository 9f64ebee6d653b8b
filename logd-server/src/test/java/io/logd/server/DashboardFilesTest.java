package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dashboard's own files: within their size budget, self-contained, and every import resolves. */
class DashboardFilesTest {
  static final Path ROOT = Path.of("src/main/resources/dashboard");
  static final long BUDGET = 150 * 1024;

  static List<Path> files(String... extensions) throws IOException {
    try (Stream<Path> s = Files.walk(ROOT)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> Stream.of(extensions).anyMatch(e -> p.toString().endsWith(e))).sorted().toList();
    }
  }

  @Test
  void ourJavaScriptAndCssStayWithinTheBudget() throws IOException {
    long total = 0;
    for (Path p : files(".js", ".css")) {
      total += Files.size(p);
    }
    assertTrue(total > 10_000, "the files are there: " + total);
    assertTrue(total <= BUDGET, "our JS and CSS total " + total + " bytes, over the " + BUDGET + " budget");
  }

  @Test
  void nothingComesFromAnotherOrigin() throws IOException {
    Pattern remote = Pattern.compile("(?:src|href|import[^'\"]*from)\\s*=?\\s*['\"](?:https?:)?//", Pattern.CASE_INSENSITIVE);
    for (Path p : files(".js", ".css", ".html")) {
      String text = Files.readString(p);
      assertTrue(!remote.matcher(text).find(), p + " loads something from another origin");
      assertTrue(!text.contains("url(http") && !text.contains("@import"), p + " pulls in a remote stylesheet");
    }
  }

  @Test
  void everyRelativeImportResolves() throws IOException {
    Pattern from = Pattern.compile("from\\s+'(\\.{1,2}/[^']+)'");
    int imports = 0;
    for (Path p : files(".js")) {
      Matcher m = from.matcher(Files.readString(p));
      while (m.find()) {
        imports++;
        Path target = p.getParent().resolve(m.group(1)).normalize();
        assertTrue(Files.isRegularFile(target), p + " imports " + m.group(1) + ", which is missing");
      }
    }
    assertTrue(imports > 10, "imports were found: " + imports);
  }

  @Test
  void theHtmlLoadsOnlyWhatStaticFilesServes() throws IOException {
    String html = Files.readString(ROOT.resolve("index.html"));
    Matcher m = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(html);
    int n = 0;
    while (m.find()) {
      String path = m.group(1);
      n++;
      assertTrue(StaticFiles.handles(path), path);
      assertEquals(200, new StaticFiles().get(path).status().code(), path);
    }
    assertTrue(n >= 4, "stylesheets, icon and the main module: " + n);
  }
}
