package io.portwatch.collector.alert.rule;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A rule created through the API; its statements are all in {@link AlertRuleRepository}. */
@Entity
@Table(name = "alert_rule")
public class AlertRuleEntity {

    @Id
    public String name;

    /** The rule as the API received it, in the rules-file keys (jsonb), as text. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String definition;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
