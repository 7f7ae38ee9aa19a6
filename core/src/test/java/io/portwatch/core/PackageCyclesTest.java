package io.portwatch.core;

import io.portwatch.testarch.PackageCycles;
import org.junit.jupiter.api.Test;

/** No package of the core module's main code depends on one that depends back on it (issue 17). */
class PackageCyclesTest {

    @Test
    void corePackagesFormNoCycle() {
        PackageCycles.assertNone("io.portwatch.core");
    }
}
