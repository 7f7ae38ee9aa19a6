package io.portwatch.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each shared enum's protocol numbers are those of portwatch/v1/ingest.proto (the proto jar), name for name. */
class ProtoNumbersTest {

    private static final Pattern ENUM = Pattern.compile("enum (\\w+) \\{([^}]*)}");
    private static final Pattern VALUE = Pattern.compile("(\\w+) = (\\d+);");

    private static Map<String, Integer> protoEnum(String name) throws IOException {
        String proto;
        try (InputStream in = ProtoNumbersTest.class.getResourceAsStream("/portwatch/v1/ingest.proto")) {
            assertNotNull(in, "ingest.proto on the test classpath (the proto jar)");
            proto = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher e = ENUM.matcher(proto);
        while (e.find()) {
            if (e.group(1).equals(name)) {
                Map<String, Integer> values = new LinkedHashMap<>();
                Matcher v = VALUE.matcher(e.group(2).replaceAll("//[^\n]*", ""));
                while (v.find()) {
                    values.put(v.group(1), Integer.parseInt(v.group(2)));
                }
                return values;
            }
        }
        throw new AssertionError("no enum " + name + " in ingest.proto");
    }

    /**
     * Each constant has the number of the protocol's constant {@code prefix + name} and is read back
     * from it; every protocol constant but {@code unset} has one, and {@code unset} or a number the
     * protocol does not have reads as {@code unknown}.
     */
    private static <E extends Enum<E>> void sameNumbers(String protoEnum, String unset, String prefix, E[] values,
            ToIntFunction<E> proto, IntFunction<E> fromProto, E unknown) throws IOException {
        Map<String, Integer> wire = protoEnum(protoEnum);
        assertEquals(wire.size() - 1, values.length, "every " + protoEnum + " but " + unset);
        for (E e : values) {
            assertEquals(wire.get(prefix + e.name()), proto.applyAsInt(e), e.name());
            assertEquals(e, fromProto.apply(proto.applyAsInt(e)));
        }
        for (int number : new int[] {wire.get(unset), 99, -1}) {
            assertEquals(unknown, fromProto.apply(number), protoEnum + " " + number);
        }
    }

    @Test
    void protocol() throws IOException {
        sameNumbers("Protocol", "PROTOCOL_UNSPECIFIED", "", Protocol.values(), Protocol::proto, Protocol::fromProto, null);
    }

    @Test
    void portState() throws IOException {
        sameNumbers("PortState", "STATE_UNSPECIFIED", "", PortState.values(), PortState::proto, PortState::fromProto, null);
    }

    /** Unset is treated as OPEN, and so is a number this side does not know. */
    @Test
    void expectation() throws IOException {
        sameNumbers("Expectation", "EXPECT_UNSPECIFIED", "EXPECT_", Expectation.values(), Expectation::proto,
                Expectation::fromProto, Expectation.OPEN);
    }

    @Test
    void healthTexts() {
        assertEquals("true", Health.HEALTHY.json());
        assertEquals("false", Health.UNHEALTHY.json());
        assertEquals("null", Health.UNKNOWN.json());
        for (Health h : Health.values()) {
            assertEquals(h, Health.of(h.flag()));
        }
    }
}
