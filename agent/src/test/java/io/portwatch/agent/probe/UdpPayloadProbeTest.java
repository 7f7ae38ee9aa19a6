package io.portwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.agent.probe.udp.UdpPayloads;
import io.portwatch.agent.probe.udp.UdpRequest;
import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import io.portwatch.core.testing.LoopbackTargets;
import io.portwatch.core.testing.LoopbackTargets.UdpResponder;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Protocol payloads end to end: the probe's DNS, NTP and SNMP requests against responders that
 * answer like real servers (OPEN / REPLY), and against replies that look like answers but are not
 * (OPEN_FILTERED / INVALID_REPLY: something answered, but not the protocol we asked).
 */
class UdpPayloadProbeTest {

    private static final Duration ANSWERED = Duration.ofSeconds(2);
    /** Probes expected to end at their deadline. */
    private static final Duration SHORT = Duration.ofMillis(300);

    private ProbeEngine engine;

    @BeforeEach
    void start() {
        engine = new ProbeEngine(8);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private ProbeResult probe(BiFunction<Integer, byte[], byte[]> server, UdpPayload payload, Duration timeout)
            throws Exception {
        try (UdpResponder responder = new UdpResponder(LoopbackTargets.v4(), server)) {
            UdpRequest datagram = UdpPayloads.request(payload);
            ProbeRequest request = ProbeRequest.udp(responder.address(), timeout, datagram.payload())
                    .withValidator(datagram.validator());
            return engine.probe(request).get(10, TimeUnit.SECONDS);
        }
    }

    private static void assertOpen(ProbeResult result, String detail) {
        assertEquals(PortState.OPEN, result.state(), result.toString());
        assertEquals(ProbeReason.REPLY, result.reason(), result.toString());
        assertTrue(result.detail().endsWith(detail), result.detail());
    }

    private static void assertInvalid(ProbeResult result) {
        assertEquals(PortState.OPEN_FILTERED, result.state(), result.toString());
        assertEquals(ProbeReason.INVALID_REPLY, result.reason(), result.toString());
        // Each of the 3 sends is answered; under load the last answer may miss the deadline.
        assertTrue(result.detail().matches("[123] repl(y|ies) did not validate"), result.detail());
    }

    @Test
    void dnsServerIsOpenWhateverItsResponseCode() throws Exception {
        assertOpen(probe(ProtocolResponders.dns(0, false, false), new UdpPayload.Dns(), ANSWERED),
                "17 byte reply: DNS NOERROR");
        assertOpen(probe(ProtocolResponders.dns(5, false, false), new UdpPayload.Dns(), ANSWERED),
                ": DNS REFUSED");
    }

    @Test
    void dnsReplyWithAnotherIdOrWithoutTheResponseBitIsInvalid() throws Exception {
        assertInvalid(probe(ProtocolResponders.dns(0, true, false), new UdpPayload.Dns(), SHORT));
        assertInvalid(probe(ProtocolResponders.dns(0, false, true), new UdpPayload.Dns(), SHORT));
    }

    @Test
    void ntpServerIsOpen() throws Exception {
        assertOpen(probe(ProtocolResponders.ntp(4, false), new UdpPayload.Ntp(), ANSWERED),
                "48 byte reply: NTP stratum 2");
    }

    @Test
    void ntpReplyInClientModeOrForAnotherRequestIsInvalid() throws Exception {
        assertInvalid(probe(ProtocolResponders.ntp(3, false), new UdpPayload.Ntp(), SHORT));
        assertInvalid(probe(ProtocolResponders.ntp(4, true), new UdpPayload.Ntp(), SHORT));
    }

    @Test
    void snmpAgentIsOpenWithItsSysDescr() throws Exception {
        assertOpen(probe(ProtocolResponders.snmp("probe-ro", 0xA2, false), new UdpPayload.Snmp("probe-ro"), ANSWERED),
                "SNMP sysDescr \"Linux portwatch-test\"");
    }

    @Test
    void snmpReplyThatIsNoGetResponseOrForAnotherRequestIsInvalid() throws Exception {
        assertInvalid(probe(ProtocolResponders.snmp("public", 0xA0, false), new UdpPayload.Snmp("public"), SHORT));
        assertInvalid(probe(ProtocolResponders.snmp("public", 0xA8, false), new UdpPayload.Snmp("public"), SHORT));
        assertInvalid(probe(ProtocolResponders.snmp("public", 0xA2, true), new UdpPayload.Snmp("public"), SHORT));
    }

    /** An agent that does not know the community is silent, as SNMP requires: nothing proves it open. */
    @Test
    void snmpWithAnUnknownCommunityIsOpenFilteredNoReply() throws Exception {
        ProbeResult result = probe(ProtocolResponders.snmp("secret", 0xA2, false), new UdpPayload.Snmp("public"), SHORT);
        assertEquals(PortState.OPEN_FILTERED, result.state(), result.toString());
        assertEquals(ProbeReason.NO_REPLY, result.reason());
    }

    @Test
    void noneAndHexPayloadsAcceptAnyReplyAndSendTheirBytes() throws Exception {
        CopyOnWriteArrayList<byte[]> seen = new CopyOnWriteArrayList<>();
        BiFunction<Integer, byte[], byte[]> recordAndAnswer = (i, data) -> {
            seen.add(data);
            return new byte[] {42};
        };
        assertOpen(probe(recordAndAnswer, new UdpPayload.None(), ANSWERED), "1 byte reply");
        assertOpen(probe(recordAndAnswer, new UdpPayload.Hex("0102ff"), ANSWERED), "1 byte reply");
        assertOpen(probe((i, data) -> data, new UdpPayload.None(), ANSWERED), "0 byte reply"); // an echo service
        assertArrayEquals(new byte[0], seen.get(0));
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, seen.get(1));
    }

    /** NIO cannot send an empty datagram on a connected channel; the probe's twin socket can. */
    @Test
    void emptyDatagramToAClosedPortStillSeesPortUnreachable() throws Exception {
        ProbeResult v4 = engine.probe(ProbeRequest.udp(LoopbackTargets.closedUdpPort(LoopbackTargets.v4()),
                Duration.ofSeconds(2), new byte[0])).get(10, TimeUnit.SECONDS);
        assertEquals(PortState.CLOSED, v4.state(), v4.toString());
        assertEquals(ProbeReason.PORT_UNREACHABLE, v4.reason());

        ProbeResult v6 = engine.probe(ProbeRequest.udp(LoopbackTargets.closedUdpPort(LoopbackTargets.v6OrSkip()),
                Duration.ofSeconds(2), new byte[0])).get(10, TimeUnit.SECONDS);
        assertEquals(PortState.CLOSED, v6.state(), v6.toString());
    }

    /** retries N: N + 1 datagrams, spread evenly inside the timeout. */
    @Test
    void retriesSetHowManyDatagramsGoOut() throws Exception {
        for (int retries : new int[] {0, 4}) {
            try (UdpResponder silent = UdpResponder.silent(LoopbackTargets.v4())) {
                ProbeResult result = engine.probe(ProbeRequest.udp(silent.address(), Duration.ofMillis(250), new byte[0])
                        .withRetries(retries)).get(10, TimeUnit.SECONDS);

                assertEquals(ProbeReason.NO_REPLY, result.reason(), result.toString());
                assertTrue(result.detail().contains("(" + (retries + 1) + " datagram(s) sent)"), result.detail());
                assertEquals(retries + 1, silent.received.get());
            }
        }
    }
}
