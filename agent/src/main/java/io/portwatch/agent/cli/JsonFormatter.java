package io.portwatch.agent.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * A JSON array with one object per result, one object per line. Written by hand: the fields are
 * few and flat, and the command should not start a JSON library to print them.
 */
final class JsonFormatter implements ResultFormatter {

    @Override
    public void print(List<ProbeOutcome> outcomes, PrintStream out) {
        out.print('[');
        for (int i = 0; i < outcomes.size(); i++) {
            out.print(i == 0 ? "\n  " : ",\n  ");
            out.print(object(outcomes.get(i)));
        }
        out.println(outcomes.isEmpty() ? "]" : "\n]");
    }

    private static String object(ProbeOutcome o) {
        String address = o.result().addressText();
        return "{\"host\": " + string(o.instance().target())
                + ", \"check\": " + string(o.instance().checkName())
                + ", \"proto\": " + string(o.instance().protocol().id())
                + ", \"port\": " + o.instance().port()
                + ", \"state\": " + string(o.result().state().name())
                + ", \"reason\": " + string(o.result().reason().id())
                + ", \"latency_ms\": " + o.latencyMillis()
                + ", \"address\": " + (address.isEmpty() ? "null" : string(address))
                + ", \"expect\": " + string(o.instance().expect().name().toLowerCase(java.util.Locale.ROOT))
                + ", \"healthy\": " + o.health().json()
                + ", \"detail\": " + string(o.result().detail()) + "}";
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
