package io.portwatch.collector.statuspage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Where htmx is served: from its webjar's {@code META-INF/resources}, under a path that names the
 * version. The version is read from the webjar itself, so the parent pom stays the one place for it.
 */
final class Htmx {

    private static final String POM = "META-INF/maven/org.webjars.npm/htmx.org/pom.properties";
    static final String PATH = "/webjars/htmx.org/" + version() + "/dist/htmx.min.js";

    private Htmx() {}

    private static String version() {
        try (InputStream in = Htmx.class.getClassLoader().getResourceAsStream(POM)) {
            if (in == null) {
                throw new IllegalStateException("the htmx webjar is not on the class path (" + POM + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
