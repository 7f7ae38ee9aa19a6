package io.portwatch.agent;

import com.google.protobuf.ByteString;
import io.portwatch.agent.inventory.ListeningInventory;
import io.portwatch.agent.inventory.ListeningSocket;
import io.portwatch.agent.inventory.ListeningSocket.Owner;
import io.portwatch.agent.transport.CollectorLink;
import io.portwatch.proto.v1.ListeningInventory.Builder;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Every {@code portwatch.inventory.interval}: reads this host's listening sockets and, when the
 * set (or the host's addresses) changed since the last reading, hands the whole set to the link,
 * which sends it to a collector that accepts it.
 */
@ApplicationScoped
class ListeningReporter {

    private final AgentSettings.Inventory settings;
    private final CollectorLink link;
    private final Clock clock = Clock.systemUTC();
    private final ListeningInventory inventory = ListeningInventory.ofHost();
    /** The last set handed over, without its time: a reading equal to it is not sent again. */
    private io.portwatch.proto.v1.ListeningInventory last;
    private boolean warned;

    ListeningReporter(AgentSettings settings, CollectorLink link) {
        this.settings = settings.inventory();
        this.link = link;
    }

    /** Every inventory interval, from the typed setting; no job when the inventory is off. */
    void schedule(@Observes StartupEvent event, Scheduler jobs) {
        if (settings.enabled()) {
            jobs.newJob("portwatch-listening-inventory").setInterval(settings.interval().toString())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP).setTask(execution -> report()).schedule();
        }
    }

    void report() {
        List<ListeningSocket> sockets;
        try {
            sockets = inventory.read();
        } catch (IOException | RuntimeException e) {
            if (!warned) { // once: a host without /proc (not Linux) says so and stays quiet
                Log.warnf("listening inventory not read: %s", e.getMessage());
                warned = true;
            }
            return;
        }
        io.portwatch.proto.v1.ListeningInventory now = message(sockets, hostAddresses(), settings.maxSockets());
        if (!now.equals(last)) {
            last = now;
            link.listening(now.toBuilder().setObservedAtMs(clock.millis()).build());
        }
    }

    /** The message for {@code sockets}, at most {@code max} of them, without observed_at_ms. */
    static io.portwatch.proto.v1.ListeningInventory message(List<ListeningSocket> sockets, List<InetAddress> hostAddresses,
            int max) {
        Builder b = io.portwatch.proto.v1.ListeningInventory.newBuilder();
        for (ListeningSocket s : sockets.subList(0, Math.min(max, sockets.size()))) {
            var socket = io.portwatch.proto.v1.ListeningSocket.newBuilder()
                    .setProto(io.portwatch.proto.v1.Protocol.forNumber(s.protocol().proto()))
                    .setAddress(ByteString.copyFrom(s.address().getAddress()))
                    .setPort(s.port())
                    .setUid(s.uid());
            if (s.owner() instanceof Owner.Process p) {
                socket.setPid(p.pid()).setCommand(p.command());
            }
            b.addSockets(socket);
        }
        hostAddresses.forEach(a -> b.addHostAddresses(ByteString.copyFrom(a.getAddress())));
        return b.setTruncated(sockets.size() > max).build();
    }

    /** Every address of every interface that is up, loopback excluded, in a stable order. */
    static List<InetAddress> hostAddresses() {
        TreeSet<String> seen = new TreeSet<>();
        java.util.ArrayList<InetAddress> addresses = new java.util.ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    // Without the scope: fe80::1%eth0 and fe80::1%eth1 are one address to a remote prober.
                    InetAddress plain = InetAddress.getByAddress(a.getAddress());
                    if (!a.isLoopbackAddress() && seen.add(plain.getHostAddress())) {
                        addresses.add(plain);
                    }
                }
            }
        } catch (SocketException | java.net.UnknownHostException e) {
            Log.debugf("host addresses not listed: %s", e.getMessage());
        }
        addresses.sort(java.util.Comparator.comparing(InetAddress::getHostAddress));
        return addresses;
    }
}
