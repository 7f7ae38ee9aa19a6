import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * bench/status-page's measuring side (run.sh starts the collector and seeds it): the status page's
 * server time (sequential GET / over loopback, after a warm-up) and its first paint in headless
 * Chromium (the Performance API's first-contentful-paint and DOMContentLoaded of fresh loads),
 * each for the full page (all checks match) and for the baseline, the same page with a filter
 * that matches none (the page's fixed cost), with their ratio; the target is a first paint below 1 s.
 *
 *   java -cp CLASSPATH StatusPageBench.java URL [warmup] [requests] [loads]
 */
public class StatusPageBench {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int loads = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        String full = base + "/";
        String empty = base + "/?agent=no-such-agent";

        HttpClient http = HttpClient.newHttpClient();
        byte[] page = http.send(HttpRequest.newBuilder(URI.create(full)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(URI.create(full)).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        System.out.printf("page: %,d bytes of HTML, %,d bytes as a browser gets it (Content-Encoding %s)%n", page.length,
                gzipped.body().length, gzipped.headers().firstValue("Content-Encoding").orElse("none"));
        for (int i = 0; i < warmup; i++) {
            get(http, i % 2 == 0 ? full : empty);
        }
        List<Double> server = new ArrayList<>();
        List<Double> serverEmpty = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            server.add(get(http, full));
            serverEmpty.add(get(http, empty));
        }
        report("server: GET / (whole response)", server, serverEmpty);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--no-first-run", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(10));
        try {
            for (int i = 0; i < 3; i++) { // the browser's own first-load costs
                browser.get(full);
                browser.get(empty);
            }
            List<Double> fcp = new ArrayList<>();
            List<Double> fcpEmpty = new ArrayList<>();
            List<Double> dcl = new ArrayList<>();
            List<Double> dclEmpty = new ArrayList<>();
            for (int i = 0; i < loads; i++) {
                double[] f = paint(browser, full);
                double[] e = paint(browser, empty);
                fcp.add(f[0]);
                dcl.add(f[1]);
                fcpEmpty.add(e[0]);
                dclEmpty.add(e[1]);
            }
            report("Chromium: first-contentful-paint", fcp, fcpEmpty);
            report("Chromium: DOMContentLoaded", dcl, dclEmpty);
            double p50 = percentile(fcp, 50);
            System.out.printf("target: first paint < 1000 ms; median %.0f ms is %.2f of it: %s%n", p50, p50 / 1000,
                    p50 < 1000 ? "MET" : "MISSED");
            String shot = System.getProperty("screenshot");
            if (shot != null) {
                browser.get(full);
                Files.write(Path.of(shot), browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            }
        } finally {
            browser.quit();
        }
    }

    private static double get(HttpClient http, String url) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + ": HTTP " + r.statusCode());
        }
        return ms;
    }

    /** A fresh load's first-contentful-paint and DOMContentLoaded, in ms from navigation start. */
    @SuppressWarnings("unchecked")
    private static double[] paint(ChromeDriver browser, String url) {
        browser.get("about:blank");
        browser.get(url);
        // The paint entry is recorded after the frame is shown, which may be after get() returns.
        Map<String, Object> m = (Map<String, Object>) browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; const t0 = Date.now();"
                + " (function poll() { const p = performance.getEntriesByName('first-contentful-paint')[0];"
                + " if (p || Date.now() - t0 > 5000) { const n = performance.getEntriesByType('navigation')[0];"
                + " done({fcp: p ? p.startTime : -1, dcl: n.domContentLoadedEventEnd}); } else { setTimeout(poll, 20); } })();");
        return new double[] {((Number) m.get("fcp")).doubleValue(), ((Number) m.get("dcl")).doubleValue()};
    }

    private static void report(String what, List<Double> full, List<Double> baseline) {
        double f = percentile(full, 50);
        double b = percentile(baseline, 50);
        System.out.printf("%s: p50 %.1f ms, p90 %.1f ms (n=%d); baseline (no check matches) p50 %.1f ms; ratio %.2f%n",
                what, f, percentile(full, 90), full.size(), b, f / b);
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
