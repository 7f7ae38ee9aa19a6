package io.portwatch.collector.statuspage;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven through the system's chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}; .ci/run installs them). Both are given by path, so Selenium Manager
 * never runs and nothing is downloaded. Tests skip, saying why, when either is missing.
 */
final class Chromium {

    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private Chromium() {}

    /** A new headless browser; the caller quits it. Skips the test when no chromium or chromedriver is found. */
    static ChromeDriver start() {
        Optional<String> browser = find("portwatch.test.chromium", BROWSERS);
        Optional<String> driver = find("webdriver.chrome.driver", DRIVERS);
        assumeTrue(browser.isPresent() && driver.isPresent(), "no Chromium: needs chromium (" + BROWSERS + ") and chromedriver ("
                + DRIVERS + "), Debian packages chromium and chromium-driver; or set -Dportwatch.test.chromium and"
                + " -Dwebdriver.chrome.driver");
        System.setProperty("webdriver.chrome.driver", driver.get());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.get());
        // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--no-first-run", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver.get()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static Optional<String> find(String property, List<String> candidates) {
        String configured = System.getProperty(property);
        return Stream.concat(Stream.ofNullable(configured), candidates.stream())
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }
}
