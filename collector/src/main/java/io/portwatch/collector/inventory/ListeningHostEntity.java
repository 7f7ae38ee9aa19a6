package io.portwatch.collector.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of {@code listening_host}: the newest inventory's facts about the host itself. */
@Entity
@Table(name = "listening_host")
public class ListeningHostEntity {

    @Id
    @Column(name = "agent_id")
    public String agentId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] addresses;

    @Column(name = "observed_at")
    public Instant observedAt;

    public boolean truncated;
}
