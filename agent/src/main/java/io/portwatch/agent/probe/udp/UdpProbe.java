package io.portwatch.agent.probe.udp;

import io.portwatch.agent.probe.InFlightProbe;
import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeRequest;
import io.portwatch.agent.probe.ReplyValidator;
import io.portwatch.core.check.PortState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.Objects;

/**
 * A UDP probe on a <em>connected</em> DatagramChannel: only a connected socket is told about ICMP
 * port unreachable (as {@link PortUnreachableException}), which is what makes CLOSED knowable.
 *
 * <p>The payload is sent {@code retries + 1} times spread evenly over the timeout (retries 2: at 0,
 * timeout/3 and 2·timeout/3), so one lost datagram (or reply) does not turn an open port into
 * silence. A datagram that the validator accepts means OPEN / REPLY with the
 * latency of that reply; datagrams it rejects are counted and listening goes on. Port unreachable,
 * on a read or on a later send, means CLOSED. Other errors mean FILTERED. Silence until the
 * deadline means OPEN_FILTERED: a UDP port is never reported open without a reply.
 *
 * <p>A pending ICMP error makes the next send fail instead of sending, so a send that fails with
 * port unreachable is the answer to an earlier datagram, not a datagram that went out.
 *
 * <p>Silence is judged against the target's ICMP budget ({@code IcmpBudget}): while the same host
 * answered other ports with port unreachable, a silence may be its rate limit rather than the port,
 * so the probe is queued again ({@link #reprobe()}) with a fresh socket and the full timeout; a
 * silence still inconclusive when the re-probes run out is UNKNOWN / ICMP_RATE_LIMITED: not even
 * open|filtered.
 */
public final class UdpProbe extends InFlightProbe {

    /** Datagrams read per readiness event, so one chatty peer cannot hold up the other probes. */
    private static final int MAX_READS_PER_EVENT = 16;

    private final ReplyValidator validator;
    private final byte[] payload;
    /** Sends per probe, spread evenly over the timeout. */
    private final int maxSends;
    private DatagramChannel channel;
    /** Sends the empty datagram of an empty payload; null otherwise. */
    private DatagramChannel emptySender;
    private int attempts;
    private int sent;
    private int invalidReplies;
    private long lastSendNanos;
    /** Attempts before this one that ended in a suspect silence. */
    private int reprobes;
    /** Datagrams sent over all attempts, for the detail. */
    private int sentBefore;

    public UdpProbe(ProbeRequest request) {
        super(request);
        this.validator = Objects.requireNonNull(request.validator(), "validator");
        this.maxSends = request.retries() + 1;
        // Our own copy: retransmits and the validator must see what was actually sent.
        this.payload = request.payload().clone();
    }

    @Override
    protected void start() throws IOException {
        InetSocketAddress target = request().address();
        // Failures up to here (no file descriptors, ...) are the agent's: they escape as LOCAL_ERROR.
        channel = DatagramChannel.open(familyOf(target));
        channel.configureBlocking(false);
        if (payload.length == 0) {
            openEmptySender();
        }
        try {
            channel.connect(target);
        } catch (IOException e) {
            finishWithError(e, System.nanoTime()); // e.g. "Network is unreachable": no route
            return;
        }
        channel.register(selector(), SelectionKey.OP_READ, this);
        send(System.nanoTime());
    }

    /**
     * NIO never sends a zero-length datagram through a connected channel (write and send skip an
     * empty buffer), yet only the connected socket is told about ICMP port unreachable. So an
     * unconnected twin bound to the same local port sends it: the kernel delivers the reply, and
     * the ICMP error, to the best-matching socket, which is the connected one.
     */
    private void openEmptySender() throws IOException {
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(null);
        emptySender = DatagramChannel.open(familyOf(request().address()));
        emptySender.configureBlocking(false);
        emptySender.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        emptySender.bind(channel.getLocalAddress());
    }

    @Override
    protected void onWake(long nowNanos) {
        send(nowNanos);
    }

    private void send(long nowNanos) {
        attempts++;
        lastSendNanos = nowNanos;
        try {
            if (emptySender != null) {
                emptySender.send(ByteBuffer.wrap(payload), request().address());
                sent++; // cannot tell a full send buffer from a sent empty datagram; rare enough
            } else if (channel.write(ByteBuffer.wrap(payload)) == payload.length) {
                sent++; // 0 bytes written for a non-empty payload: the send buffer was full
            }
        } catch (PortUnreachableException e) {
            finish(PortState.CLOSED, ProbeReason.PORT_UNREACHABLE, nowNanos,
                    "ICMP port unreachable (reported on send " + attempts + ")" + afterReprobes());
            return;
        } catch (IOException e) {
            finishWithError(e, nowNanos); // "No route to host", "Permission denied": FILTERED
            return;
        }
        if (attempts < maxSends) {
            long timeoutNanos = deadlineNanos() - startNanos();
            wakeAt(startNanos() + timeoutNanos / maxSends * attempts);
        } else {
            wakeAt(deadlineNanos());
        }
    }

    @Override
    protected void onReady(SelectionKey key) {
        if (!key.isReadable()) {
            return;
        }
        ByteBuffer buffer = receiveBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            buffer.clear();
            try {
                // receive(), not read(): it tells "no datagram" (null) from an empty datagram.
                if (channel.receive(buffer) == null) {
                    return;
                }
            } catch (PortUnreachableException e) {
                finish(PortState.CLOSED, ProbeReason.PORT_UNREACHABLE, System.nanoTime(),
                        "ICMP port unreachable" + afterReprobes());
                return;
            } catch (IOException e) {
                finishWithError(e, System.nanoTime());
                return;
            }
            long now = System.nanoTime();
            buffer.flip();
            int length = buffer.remaining();
            if (validator.accepts(payload, buffer.asReadOnlyBuffer())) {
                String what = validator.describe(payload, buffer.asReadOnlyBuffer());
                String after = invalidReplies == 0 ? "" : " after " + invalid();
                finish(PortState.OPEN, ProbeReason.REPLY, now,
                        length + " byte reply" + after + (what.isEmpty() ? "" : ": " + what));
                return;
            }
            invalidReplies++;
        }
    }

    @Override
    protected void onDeadline(long nowNanos) {
        if (invalidReplies > 0) {
            // Something answered, but not the protocol we asked: not proof of an open service.
            finish(PortState.OPEN_FILTERED, ProbeReason.INVALID_REPLY, nowNanos,
                    invalid() + " did not validate");
            return;
        }
        switch (judgeSilence(lastSendNanos, reprobes, nowNanos)) {
            case NO_REPLY -> finish(PortState.OPEN_FILTERED, ProbeReason.NO_REPLY, nowNanos,
                    "no reply within " + timeoutMillis() + " ms (" + sent + " datagram(s) sent)" + afterReprobes());
            case REPROBE -> {
                reprobes++;
                sentBefore += sent;
                attempts = 0;
                sent = 0;
                reprobe(); // releases this attempt's channels; start() opens new ones
                channel = null;
                emptySender = null;
            }
            case RATE_LIMITED -> finish(PortState.UNKNOWN, ProbeReason.ICMP_RATE_LIMITED, nowNanos,
                    "no reply to " + (sentBefore + sent) + " datagrams in " + (reprobes + 1)
                            + " attempts while the host answered other ports with ICMP port unreachable"
                            + " (about one per " + icmpIntervalMillis() + " ms): its rate limit may hide a closed port");
        }
    }

    private String afterReprobes() {
        return reprobes == 0 ? "" : " after " + reprobes + (reprobes == 1 ? " re-probe" : " re-probes")
                + " (the host's ICMP rate limit)";
    }

    @Override
    protected void release() {
        for (DatagramChannel c : new DatagramChannel[] {channel, emptySender}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // Nothing to report: the result is already decided.
                }
            }
        }
    }

    private String invalid() {
        return invalidReplies + (invalidReplies == 1 ? " reply" : " replies");
    }
}
