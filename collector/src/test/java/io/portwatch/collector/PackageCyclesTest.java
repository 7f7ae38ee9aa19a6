package io.portwatch.collector;

import io.portwatch.testarch.PackageCycles;
import org.junit.jupiter.api.Test;

/** No package of the collector's main code depends on one that depends back on it (issue 17). */
class PackageCyclesTest {

    @Test
    void collectorPackagesFormNoCycle() {
        PackageCycles.assertNone("io.portwatch.collector");
    }
}
