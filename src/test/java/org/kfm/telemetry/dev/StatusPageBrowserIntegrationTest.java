package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page in a real browser (Debian's chromium, headless, through chromedriver) against
 * {@code kfm dev --demo}: the low-energy pipeline shows as failing with its signed alert listed,
 * the numbers shown are those of {@code /api/health-checks}, failing scopes come first, the filter
 * narrows the table, and every chart has its table. Saves {@code
 * target/screenshots/status-page.png} (the picture docs/health-checks.md shows).
 */
class StatusPageBrowserIntegrationTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dir;

  private DevMode dev;
  private WebDriver browser;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void browserInstalled() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed && System.getenv("CI") != null) {
      throw new IllegalStateException(
          "CI must run the browser test: .ci/run installs Debian's chromium and chromium-driver");
    }
    Assumptions.assumeTrue(
        installed,
        "no /usr/bin/chromium or /usr/bin/chromedriver: apt-get install chromium "
            + "chromium-driver (as .ci/run does) to run the browser test");
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (dev != null) {
      dev.close();
    }
  }

  @Test
  @Timeout(240)
  void shouldShowTheFailingPipelineItsAlertAndTheNumbersOfTheApi() throws Exception {
    // Given kfm dev --demo and the status page open in a browser
    dev = DevMode.start(new DevMode.Settings(dir.resolve("dev"), 0, 0, 0, true));
    String base = "http://127.0.0.1:" + dev.httpPort();
    browser = chromium(dir.resolve("chromium"));
    browser.get(base + "/");
    assertThat(browser.getTitle()).contains("KFM Telemetry Streams");

    // When the demo's low-energy pipeline has been evaluated and alerted on
    String landsat = DemoTraffic.LOW_ENERGY_PIPELINE;
    await("the low-energy pipeline failing on the page, with its verified firing alert")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(row(landsat).getAttribute("data-status")).isEqualTo("FAIL");
              WebElement alert = firingAlert(landsat);
              assertThat(alert.findElement(By.cssSelector("[data-field=rules]")).getText())
                  .contains("KFM-TELEM-ENERGY-001");
              assertThat(
                      alert
                          .findElement(By.cssSelector("[data-field=verified]"))
                          .getAttribute("data-verified"))
                  .isEqualTo("true");
            });
    assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("RUNNING");

    // Then every scope's numbers are those the API gives (once both show the same evaluation)
    await("the page's numbers equal /api/health-checks")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode checks = get(base + "/api/health-checks").get("health_checks");
              List<WebElement> rows = browser.findElements(By.cssSelector("#health > tbody > tr"));
              assertThat(rows).hasSize(checks.size());
              for (JsonNode check : checks) {
                WebElement row = row(check.get("scope").asText());
                assertThat(field(row, "runs_checked").getText())
                    .isEqualTo(check.get("runs_checked").asText());
                assertThat(value(row, "trace_coverage_pct"))
                    .isEqualTo(number(check.get("trace_coverage_pct")));
                assertThat(value(row, "energy_report_coverage_pct"))
                    .isEqualTo(number(check.get("energy_report_coverage_pct")));
              }
            });

    // ... failing scopes come first, the low-energy pipeline among them
    List<String> statuses = new ArrayList<>();
    browser
        .findElements(By.cssSelector("#health > tbody > tr"))
        .forEach(r -> statuses.add(r.getAttribute("data-status")));
    assertThat(statuses.get(0)).isEqualTo("FAIL");
    assertThat(statuses.lastIndexOf("FAIL")).isLessThan(statuses.indexOf("PASS"));

    // ... each chart is an image with a text alternative and a table behind it
    for (WebElement chart : browser.findElements(By.cssSelector("#health svg.trend"))) {
      assertThat(chart.getAttribute("role")).isEqualTo("img");
      assertThat(chart.getAttribute("aria-label")).contains("evaluations in the last 24 h");
    }
    assertThat(row(landsat).findElements(By.cssSelector("details table tbody tr"))).isNotEmpty();

    // ... the dead letters by rule are those of /api/dlq/summary
    JsonNode summary = get(base + "/api/dlq/summary");
    await("the dead letters by rule on the page")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (JsonNode rule : get(base + "/api/dlq/summary").get("by_rule")) {
                WebElement line =
                    browser.findElement(
                        By.cssSelector("#dlq tr[data-rule='" + rule.get("rule").asText() + "']"));
                assertThat(field(line, "count").getText()).isEqualTo(rule.get("count").asText());
              }
            });
    assertThat(summary.get("dead_letters").asLong()).isPositive();

    // ... and the filter narrows the table to the scopes that match
    Path screenshot = Path.of("target", "screenshots", "status-page.png");
    Files.createDirectories(screenshot.getParent());
    Files.copy(
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
        screenshot,
        StandardCopyOption.REPLACE_EXISTING);
    WebElement filter = browser.findElement(By.id("filter"));
    filter.sendKeys("landsat");
    List<WebElement> filtered = browser.findElements(By.cssSelector("#health > tbody > tr"));
    assertThat(filtered).hasSize(1);
    assertThat(filtered.get(0).getAttribute("data-scope")).isEqualTo(landsat);
    assertThat(browser.findElement(By.id("health-count")).getText()).startsWith("1 of ");
  }

  private static WebDriver chromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1600",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private WebElement row(String scope) {
    return browser.findElements(By.cssSelector("#health > tbody > tr")).stream()
        .filter(r -> scope.equals(r.getAttribute("data-scope")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for scope " + scope));
  }

  private WebElement firingAlert(String scope) {
    return browser.findElements(By.cssSelector("#alerts tbody tr[data-status=firing]")).stream()
        .filter(r -> r.findElement(By.cssSelector("[data-field=scope]")).getText().equals(scope))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no firing alert for " + scope));
  }

  private static WebElement field(WebElement row, String name) {
    return row.findElement(By.cssSelector("[data-field=" + name + "]"));
  }

  /** The number a coverage cell shows ("" for none). */
  private static String value(WebElement row, String name) {
    return number(
        field(row, name).findElement(By.cssSelector("[data-value]")).getAttribute("data-value"));
  }

  private static String number(JsonNode n) {
    return n == null || n.isNull() ? "" : number(n.asText());
  }

  private static String number(String s) {
    return s == null || s.isEmpty() ? "" : String.valueOf(Double.parseDouble(s));
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s: %s", url, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
