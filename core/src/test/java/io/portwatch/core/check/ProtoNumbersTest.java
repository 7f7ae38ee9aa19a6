package io.portwatch.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
     * from it; every protocol constant but {@code unset} has one.
     */
    private static <E extends Enum<E>> Map<String, Integer> sameNumbers(String protoEnum, String unset, String prefix,
            E[] values, ToIntFunction<E> proto, IntFunction<E> fromProto) throws IOException {
        Map<String, Integer> wire = protoEnum(protoEnum);
        assertEquals(wire.size() - 1, values.length, "every " + protoEnum + " but " + unset);
        for (E e : values) {
            assertEquals(wire.get(prefix + e.name()), proto.applyAsInt(e), e.name());
            assertEquals(e, fromProto.apply(proto.applyAsInt(e)));
        }
        return wire;
    }

    @Test
    void protocol() throws IOException {
        Map<String, Integer> wire = sameNumbers("Protocol", "PROTOCOL_UNSPECIFIED", "", Protocol.values(), Protocol::proto,
                Protocol::fromProto);
        assertNull(Protocol.fromProto(wire.get("PROTOCOL_UNSPECIFIED")));
        assertNull(Protocol.fromProto(99));
    }

    @Test
    void portState() throws IOException {
        Map<String, Integer> wire = sameNumbers("PortState", "STATE_UNSPECIFIED", "", PortState.values(), PortState::proto,
                PortState::fromProto);
        assertNull(PortState.fromProto(wire.get("STATE_UNSPECIFIED")));
        assertNull(PortState.fromProto(99));
        assertNull(PortState.fromProto(-1));
    }

    @Test
    void expectation() throws IOException {
        Map<String, Integer> wire = sameNumbers("Expectation", "EXPECT_UNSPECIFIED", "EXPECT_", Expectation.values(),
                Expectation::proto, Expectation::fromProto);
        assertEquals(Expectation.OPEN, Expectation.fromProto(wire.get("EXPECT_UNSPECIFIED")), "unset is treated as OPEN");
        assertEquals(Expectation.OPEN, Expectation.fromProto(99));
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
