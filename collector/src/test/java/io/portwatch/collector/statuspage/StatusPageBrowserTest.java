package io.portwatch.collector.statuspage;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless Chromium against the real collector: the demo's six checks
 * (examples/checks.d/demo.yaml, as the demo agent reports them) in their states, a filter, an
 * uptime bar's tooltip, and the refresh that swaps in a port's new state without reloading.
 *
 * <p>With {@code -Dstatus-page.screenshot=PATH} it also saves a PNG of the page there
 * (docs/img/status-page.png for the README).
 */
@QuarkusTest
class StatusPageBrowserTest {

    private static final String AGENT = "demo-agent"; // as in the demo, for the screenshot
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL page;

    private ChromeDriver browser;
    private AgentStreamClient agent;
    private long seq;

    @BeforeEach
    void startBrowser() {
        browser = Chromium.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void showsTheDemoChecksFiltersExplainsTheBarsAndRefreshesInPlace() throws Exception {
        Map<String, CheckInstance> demo = demoChecks();
        agent = new AgentStreamClient();
        agent.send(hello(AGENT)).send(catalog("page-demo", List.copyOf(demo.values())));
        Instant now = Instant.now();
        // What the demo agent reports for demo-targets' five ports (docs/getting-started, README).
        send(List.of(
                result(demo.get("demo-web"), PortState.OPEN, Reason.CONNECTED, now.toEpochMilli()),
                result(demo.get("demo-api"), PortState.CLOSED, Reason.REFUSED, now.toEpochMilli()),
                result(demo.get("no-exposure"), PortState.CLOSED, Reason.REFUSED, now.toEpochMilli()),
                result(demo.get("demo-udp-echo"), PortState.OPEN, Reason.REPLY, now.toEpochMilli()),
                result(demo.get("demo-udp-closed"), PortState.CLOSED, Reason.PORT_UNREACHABLE, now.toEpochMilli()),
                result(demo.get("demo-udp-silent"), PortState.OPEN_FILTERED, Reason.NO_REPLY, now.toEpochMilli())));

        browser.get(page + "?agent=" + AGENT);
        // The rollup folder adds the day's counts within portwatch.rollups.fold-interval; the page
        // refreshes itself until the tooltip of today's segment has them.
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        new WebDriverWait(browser, WAIT).until(b -> todayTip("demo-web").startsWith(today + ": 100.00 % up"));

        Map<String, String> states = shownStates();
        assertEquals(Map.of("demo-web", "OPEN", "demo-api", "CLOSED", "no-exposure", "CLOSED", "demo-udp-echo", "OPEN",
                "demo-udp-closed", "CLOSED", "demo-udp-silent", "OPEN_FILTERED"), states);
        assertEquals("ok", tone("no-exposure"), "CLOSED is healthy where closed is expected");
        assertEquals("bad", tone("demo-api"));
        assertEquals("bad", tone("demo-udp-silent"), "OPEN_FILTERED is never up");
        assertEquals("refused", row("demo-api").reason());
        assertTrue(row("demo-web").held().matches("\\d+s|\\d+m \\d+s"), row("demo-web").held());

        // The 90-day bar: one segment per day, today's tooltip with the day's uptime and incidents.
        assertEquals(90, row("demo-api").days().size());
        new WebDriverWait(browser, WAIT).until(b -> todayTip("demo-api").equals(today + ": 0.00 % up (1 result), 1 incident"));
        assertEquals(LocalDate.now(ZoneOffset.UTC).minusDays(89) + ": no data", row("demo-api").days().get(0));

        screenshotIfAsked();

        // A filter: the form puts it into the URL, so it survives a reload.
        new Select(browser.findElement(By.name("state"))).selectByValue("CLOSED");
        browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        new WebDriverWait(browser, WAIT).until(b -> b.getCurrentUrl().contains("state=CLOSED"));
        assertEquals(List.of("demo-api", "demo-udp-closed", "no-exposure"), shownStates().keySet().stream().sorted().toList());
        browser.navigate().refresh();
        assertEquals(3, shownStates().size());

        // Refresh in place: a port changes state; the content is swapped, the page is not reloaded.
        browser.get(page + "?agent=" + AGENT);
        browser.executeScript("window.portwatchMarker = 'same page';");
        send(List.of(result(demo.get("demo-web"), PortState.CLOSED, Reason.REFUSED, Instant.now().toEpochMilli())));
        new WebDriverWait(browser, WAIT).until(b -> "CLOSED".equals(shownStates().get("demo-web")));
        assertEquals("same page", ((JavascriptExecutor) browser).executeScript("return window.portwatchMarker;"));
        assertEquals("bad", tone("demo-web"));
    }

    /** examples/checks.d/demo.yaml as the agent expands it: six instances on 127.0.0.1, label env=demo. */
    private static Map<String, CheckInstance> demoChecks() {
        Map<String, CheckInstance> out = new LinkedHashMap<>();
        put(out, "demo-web", Protocol.TCP, 17001, Expectation.EXPECT_OPEN);
        put(out, "demo-api", Protocol.TCP, 17002, Expectation.EXPECT_OPEN);
        put(out, "no-exposure", Protocol.TCP, 17002, Expectation.EXPECT_CLOSED);
        put(out, "demo-udp-echo", Protocol.UDP, 17003, Expectation.EXPECT_OPEN);
        put(out, "demo-udp-closed", Protocol.UDP, 17004, Expectation.EXPECT_OPEN);
        put(out, "demo-udp-silent", Protocol.UDP, 17005, Expectation.EXPECT_OPEN);
        return out;
    }

    private static void put(Map<String, CheckInstance> out, String name, Protocol proto, int port, Expectation expect) {
        out.put(name, instance(name, "127.0.0.1", proto, port, expect).toBuilder().putLabels("env", "demo").build());
    }

    private void send(List<ProbeResult> results) throws InterruptedException {
        seq++;
        agent.send(batch(seq, results));
        assertEquals(seq, agent.next(WAIT).getAck().getSeq());
    }

    /** What a row shows, read in one script: the content is swapped every second, which stales WebElements. */
    record Row(String state, String tone, String reason, String held, List<String> days) {}

    /** SNAPSHOT's rows by check name. */
    private static final String SNAPSHOT = "return Array.from(document.querySelectorAll('tr.check')).map(r => ["
            + "r.dataset.check, r.dataset.state, r.querySelector('.badge').className.replace('badge', '').trim(),"
            + " r.querySelector('td.reason').textContent, r.querySelector('td.held').textContent,"
            + " Array.from(r.querySelectorAll('.bar i')).map(d => d.title)]);";

    @SuppressWarnings("unchecked")
    private Map<String, Row> rows() {
        Map<String, Row> out = new LinkedHashMap<>();
        for (Object o : (List<Object>) browser.executeScript(SNAPSHOT)) {
            List<Object> r = (List<Object>) o;
            out.put((String) r.get(0), new Row((String) r.get(1), (String) r.get(2), (String) r.get(3), (String) r.get(4),
                    (List<String>) r.get(5)));
        }
        return out;
    }

    /** Check name → the state shown in its row. */
    private Map<String, String> shownStates() {
        return rows().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().state()));
    }

    private Row row(String name) {
        Row r = rows().get(name);
        if (r == null) {
            throw new AssertionError("no row for " + name);
        }
        return r;
    }

    private String tone(String name) {
        return row(name).tone();
    }

    private String todayTip(String name) {
        List<String> days = row(name).days();
        return days.get(days.size() - 1);
    }

    private void screenshotIfAsked() throws Exception {
        String target = System.getProperty("status-page.screenshot");
        if (target != null && !target.isBlank()) {
            Path png = Path.of(target);
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, browser.getScreenshotAs(OutputType.BYTES));
        }
    }
}
