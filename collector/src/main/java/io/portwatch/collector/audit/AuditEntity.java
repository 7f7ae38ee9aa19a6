package io.portwatch.collector.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of {@code audit_log}; its statements are all in {@link AuditRepository}. */
@Entity
@Table(name = "audit_log")
public class AuditEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public Instant at;

    public String actor;

    @Column(name = "auth_method")
    public String authMethod;

    public String action;

    public String target;

    /** The JSON document before the write (jsonb), as text. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String before;

    /** The JSON document after the write (jsonb), as text. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String after;

    AuditEntry entry() {
        return new AuditEntry(id, at, actor, authMethod, action, target, before, after);
    }
}
