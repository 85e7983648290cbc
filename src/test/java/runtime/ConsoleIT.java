package runtime;

import testsupport.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real browser: Debian's headless chromium driven by chromedriver (Selenium), against the
 * running application with a real PostgreSQL and Kafka behind. Screenshots land in target/console/.
 */
class ConsoleIT {

    static final Path SHOTS = Path.of("target/console");
    /** Selenium warns (java.util.logging) that it has no DevTools classes for this chromium: the test uses none. Held: JUL keeps loggers weakly. */
    static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();
    WebDriver browser;
    Path profile;

    @BeforeEach
    void openBrowser() throws Exception {
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // as the machine notes say: without the background-networking flags chromium keeps calling hosts this closed network refuses
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void closeBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        testsupport.Dirs.delete(profile);
    }

    WebDriverWait waiting(int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(200));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // rows are redrawn once a second
        return wait;
    }

    String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Loads the page, sees a running pipeline's events/s rise, opens its detail with a precheck, stops it, fails a create. */
    @Test
    void runningPipelineIsWatchedAndStopped() throws Exception {
        pg.createDatabase("consoledb");
        pg.execute("consoledb", "CREATE TABLE orders (id int PRIMARY KEY, v text)");
        String pipeline = """
                pipeline: console-orders
                source: {type: postgres, host: localhost, port: %d, database: consoledb, user: postgres, password: "console-S3cret"}
                mode: incremental
                labels: [billing]
                objects: [{table: public.orders, topic: console.orders}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), kafka); // the test server trusts local connections: any password does
        AtomicBoolean writing = new AtomicBoolean(true);
        // a second pipeline, with another label, that cannot reach its database: listed, FAILED
        String other = pipeline.replace("console-orders", "console-other").replace("port: " + pg.port(), "port: 1")
                .replace("labels: [billing]", "labels: [eu]").replace("topic: console.orders", "topic: console.other");
        try (RunningTributary t = new RunningTributary(Map.of("pipelines/console.yaml", pipeline, "pipelines/other.yaml", other))) {
            Thread writer = new Thread(() -> writeRows(writing), "console-writer");
            writer.start();
            try {
                browser.get("http://127.0.0.1:" + t.port + "/");
                assertEquals("Tributary", browser.getTitle());
                String row = "tr[data-pipeline='console-orders']";
                waiting(90).until(d -> text(row + " .state").equals("RUNNING"));
                // the live rate: computed by the page from events.out between its polls
                waiting(60).until(d -> number(text(row + " .events-rate")) > 0);
                long firstOut = number(text(row + " .events-out"));
                waiting(30).until(d -> number(text(row + " .events-out")) > firstOut);
                assertFalse(browser.findElements(By.cssSelector(row + " svg.spark polyline")).isEmpty(), "the sparkline is drawn");
                assertEquals("billing", text(row + " .labels"));

                // the label filter: only the pipelines that carry the label chosen
                String otherRow = "tr[data-pipeline='console-other']";
                waiting(30).until(d -> !d.findElements(By.cssSelector(otherRow)).isEmpty());
                org.openqa.selenium.support.ui.Select labels = new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("label-filter")));
                assertEquals(List.of("all", "billing", "eu"), labels.getOptions().stream().map(WebElement::getText).toList());
                labels.selectByValue("eu");
                waiting(10).until(d -> d.findElements(By.cssSelector(row)).isEmpty() && !d.findElements(By.cssSelector(otherRow)).isEmpty());
                labels.selectByValue("billing");
                waiting(10).until(d -> !d.findElements(By.cssSelector(row)).isEmpty() && d.findElements(By.cssSelector(otherRow)).isEmpty());
                screenshot("console-label-filter.png");
                labels.selectByValue("");
                waiting(10).until(d -> !d.findElements(By.cssSelector(row)).isEmpty() && !d.findElements(By.cssSelector(otherRow)).isEmpty());

                browser.findElement(By.cssSelector(row + " a.name")).click();
                waiting(10).until(d -> d.findElement(By.id("detail")).isDisplayed());
                assertEquals("console-orders", text("#detail-name"));
                waiting(10).until(d -> text("#detail-status").contains("Last source position") && text("#detail-status").contains("lsn"));
                browser.findElement(By.id("precheck-run")).click();
                waiting(60).until(d -> !d.findElements(By.cssSelector("#precheck tr[data-check='source.wal_level']")).isEmpty());
                assertEquals("PASS", text("#precheck tr[data-check='source.wal_level'] .badge"));
                assertEquals("PASS", text("#precheck tr[data-check='sink.connect'] .badge"));
                assertFalse(browser.getPageSource().contains("console-S3cret"), "no password on the page");
                screenshot("console-running.png");

                browser.findElement(By.cssSelector(row + " button[data-action='stop']")).click();
                waiting(60).until(d -> text(row + " .state").equals("STOPPED"));
                assertEquals("STOPPED", Json.json(t.get("/api/pipelines/console-orders")).path("state").asText(),
                        "the click reached the server");
                waiting(10).until(d -> !d.findElements(By.cssSelector(row + " button[data-action='start']")).isEmpty());

                browser.findElement(By.id("show-create")).click();
                WebElement yaml = browser.findElement(By.id("create-yaml"));
                yaml.sendKeys(pipeline.replace("console-orders", "console-bad").replace("topic: console.orders", "topic: x, where: \"v >\""));
                browser.findElement(By.id("create-submit")).click();
                waiting(20).until(d -> !d.findElements(By.cssSelector("#create-errors li.create-error")).isEmpty());
                String errors = text("#create-errors");
                assertTrue(errors.contains("objects[0].where"), errors);
                screenshot("console-create-error.png");
                assertEquals(404, t.get("/api/pipelines/console-bad").statusCode(), "nothing was created");
            } finally {
                writing.set(false);
                writer.join();
            }
        }
    }

    /** With a token set, the page asks for it, then shows the (empty) list. */
    @Test
    void asksForTheTokenWhenTheServerWantsOne() throws Exception {
        try (RunningTributary t = new RunningTributary(Map.of("application.properties", "tributary.api.token=console-T0ken\n"))) {
            browser.get("http://127.0.0.1:" + t.port + "/");
            waiting(20).until(d -> d.findElement(By.id("token-bar")).isDisplayed());
            assertFalse(browser.findElement(By.id("empty")).isDisplayed(), "no list without the token");
            browser.findElement(By.id("token")).sendKeys("console-T0ken");
            browser.findElement(By.id("token-save")).click();
            waiting(20).until(d -> d.findElement(By.id("empty")).isDisplayed());
            assertFalse(browser.findElement(By.id("token-bar")).isDisplayed());
        }
    }

    static long number(String text) {
        String digits = text.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    /** About 200 single-row transactions a second until told to stop. */
    void writeRows(AtomicBoolean writing) {
        try (Connection c = pg.connect("consoledb");
             PreparedStatement insert = c.prepareStatement("INSERT INTO orders VALUES (?, ?)")) {
            for (int id = 1; writing.get(); id++) {
                insert.setInt(1, id);
                insert.setString(2, "order " + id);
                insert.executeUpdate();
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
