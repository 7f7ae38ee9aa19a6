package io.portwatch.agent.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * Tab-separated values for scripts: a header line, then one line per result. Host names and IP
 * literals never hold tabs or newlines, so no quoting is needed.
 */
final class TsvFormatter implements ResultFormatter {

    static final String HEADER = "host\tproto\tport\tstate\treason\tlatency_ms\taddress";

    @Override
    public void print(List<ProbeOutcome> outcomes, PrintStream out) {
        out.println(HEADER);
        for (ProbeOutcome o : outcomes) {
            out.println(String.join("\t", o.instance().target(), o.instance().protocol().id(),
                    Integer.toString(o.instance().port()), o.result().state().name(), o.result().reason().id(),
                    o.latencyMillis(), o.result().addressText()));
        }
    }
}
