package io.portwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/** The messages are what Java 17 on Linux reports (build-notes, "What the JVM reports ..."). */
class IoErrorClassifierTest {

    private static void assertVerdict(Protocol protocol, IOException e, PortState state, ProbeReason reason) {
        IoErrorClassifier.Verdict v = IoErrorClassifier.classify(protocol, e);
        assertEquals(state, v.state(), e.toString());
        assertEquals(reason, v.reason(), e.toString());
    }

    @Test
    void refusedAndPortUnreachableAreClosed() {
        assertVerdict(Protocol.TCP, new ConnectException("Connection refused"), PortState.CLOSED, ProbeReason.REFUSED);
        assertVerdict(Protocol.UDP, new PortUnreachableException(), PortState.CLOSED, ProbeReason.PORT_UNREACHABLE);
        assertVerdict(Protocol.UDP, new IOException("Connection refused"),
                PortState.CLOSED, ProbeReason.PORT_UNREACHABLE);
    }

    @Test
    void icmpErrorsAreFiltered() {
        // EHOSTUNREACH (text "No route to host") is nmap's host-unreach.
        assertVerdict(Protocol.TCP, new NoRouteToHostException("No route to host"),
                PortState.FILTERED, ProbeReason.HOST_UNREACHABLE);
        assertVerdict(Protocol.UDP, new IOException("No route to host"),
                PortState.FILTERED, ProbeReason.HOST_UNREACHABLE);
        assertVerdict(Protocol.TCP, new SocketException("Network is unreachable"),
                PortState.FILTERED, ProbeReason.NO_ROUTE);
        assertVerdict(Protocol.TCP, new SocketException("Host is unreachable"),
                PortState.FILTERED, ProbeReason.HOST_UNREACHABLE);
        // IPv6 admin-prohibited surfaces as a BindException on connect.
        assertVerdict(Protocol.TCP, new BindException("Permission denied"),
                PortState.FILTERED, ProbeReason.ADMIN_PROHIBITED);
        assertVerdict(Protocol.UDP, new IOException("Permission denied"),
                PortState.FILTERED, ProbeReason.ADMIN_PROHIBITED);
        assertVerdict(Protocol.TCP, new ConnectException("Connection timed out"),
                PortState.FILTERED, ProbeReason.TIMEOUT);
    }

    @Test
    void agentFailuresAndUnknownErrorsAreLocalErrors() {
        assertVerdict(Protocol.TCP, new BindException("Cannot assign requested address"),
                PortState.ERROR, ProbeReason.LOCAL_ERROR);
        assertVerdict(Protocol.TCP, new IOException("Too many open files"), PortState.ERROR, ProbeReason.LOCAL_ERROR);
        assertVerdict(Protocol.UDP, new ClosedChannelException(), PortState.ERROR, ProbeReason.LOCAL_ERROR);
        assertEquals("ClosedChannelException", IoErrorClassifier.describe(new ClosedChannelException()));
    }
}
