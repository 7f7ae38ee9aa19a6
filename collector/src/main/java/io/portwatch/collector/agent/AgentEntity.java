package io.portwatch.collector.agent;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An agent that has said Hello at least once. Its statements are all in {@link AgentRepository}. */
@Entity
@Table(name = "agent")
public class AgentEntity {

    @Id
    public String id;

    public String host;

    public String version;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels;

    @Column(name = "config_hash")
    public String configHash;

    @Column(name = "first_seen")
    public Instant firstSeen;

    @Column(name = "last_seen")
    public Instant lastSeen;

    public boolean connected;
}
