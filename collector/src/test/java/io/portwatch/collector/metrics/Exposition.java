package io.portwatch.collector.metrics;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The collector's {@code /q/metrics} as scraped over HTTP, read into samples. */
record Exposition(String text, List<Sample> samples) {

    /** One line of the exposition: a name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {

        boolean has(Map<String, String> subset) {
            return labels.entrySet().containsAll(subset.entrySet());
        }
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static Exposition scrape() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not an exposition line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new Exposition(text, samples);
    }

    /** The samples of {@code name} whose labels include {@code subset}. */
    List<Sample> find(String name, Map<String, String> subset) {
        return samples.stream().filter(s -> s.name().equals(name) && s.has(subset)).toList();
    }

    /** The value of the one sample of {@code name} with {@code subset}; fails on none or several. */
    double value(String name, Map<String, String> subset) {
        List<Sample> found = find(name, subset);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + " " + subset + ", expected one: " + found
                    + "; the exposition has " + text.lines().filter(l -> l.contains(name)).toList());
        }
        return found.get(0).value();
    }

    /** The labels that name one check instance. */
    static Map<String, String> check(String check, String target, String proto, int port, String agent) {
        return Map.of("check", check, "target", target, "proto", proto, "port", Integer.toString(port), "agent", agent);
    }

    static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>(labels);
        out.put(key, value);
        return out;
    }
}
