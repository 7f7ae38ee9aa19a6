package io.portwatch.collector.inventory;

import io.portwatch.core.check.Protocol;
import io.portwatch.core.net.BindScope;
import io.portwatch.core.net.IpText;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.net.InetAddress;
import java.time.Instant;

/** One row of {@code listening_socket}; its statements are all in {@link ListeningRepository}. */
@Entity
@Table(name = "listening_socket")
public class ListeningSocketEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "agent_id")
    public String agentId;

    @Enumerated(EnumType.STRING)
    public Protocol proto;

    public String address;

    public int port;

    public long uid;

    public Long pid;

    public String command;

    @Column(name = "appeared_at")
    public Instant appearedAt;

    @Column(name = "gone_at")
    public Instant goneAt;

    ListeningSocketView view() {
        return new ListeningSocketView(proto.id(), address, port, scope().name()
                .toLowerCase(java.util.Locale.ROOT), uid, pid, command, appearedAt, goneAt);
    }

    SocketKey key() {
        return new SocketKey(proto, address, port, uid, pid, command);
    }

    /** Where the socket can be reached from, by its bound address. */
    public BindScope scope() {
        return BindScope.of(inet().getAddress());
    }

    /** The bound address; a mapped {@code ::ffff:a.b.c.d} reads back as {@code a.b.c.d}: the same scope, the same host. */
    public InetAddress inet() {
        return IpText.literal(address).orElseThrow(
                () -> new IllegalStateException("listening_socket " + id + ": address " + address + " is not an IP literal"));
    }
}
