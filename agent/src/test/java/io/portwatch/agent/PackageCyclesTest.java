package io.portwatch.agent;

import io.portwatch.testarch.PackageCycles;
import org.junit.jupiter.api.Test;

/** No package of the agent's main code depends on one that depends back on it (issue 17). */
class PackageCyclesTest {

    @Test
    void agentPackagesFormNoCycle() {
        PackageCycles.assertNone("io.portwatch.agent");
    }
}
