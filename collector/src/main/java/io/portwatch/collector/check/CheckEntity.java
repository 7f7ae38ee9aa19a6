package io.portwatch.collector.check;

import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A check instance of one agent, with its current state (the newest result). */
@Entity
@Table(name = "check_instance")
public class CheckEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "agent_id")
    public String agentId;

    @Column(name = "instance_key")
    public String instanceKey;

    @Column(name = "check_name")
    public String checkName;

    public String target;

    @Enumerated(EnumType.STRING)
    public Protocol proto;

    public int port;

    @Enumerated(EnumType.STRING)
    public Expectation expect;

    @Column(name = "interval_ms")
    public Integer intervalMs;

    @Column(name = "timeout_ms")
    public Integer timeoutMs;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels;

    @Column(name = "in_catalog")
    public boolean inCatalog;

    @Enumerated(EnumType.STRING)
    public PortState state;

    public String reason;

    public Boolean healthy;

    public String address;

    @Column(name = "latency_micros")
    public Long latencyMicros;

    @Column(name = "observed_at")
    public Instant observedAt;

    @Column(name = "state_since")
    public Instant stateSince;

    /** Set by the alert engine while the agent is down. */
    @Column(name = "unknown_since", insertable = false, updatable = false)
    public Instant unknownSince;
}
