package io.portwatch.collector.alert.silence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of {@code silence}; its statements are all in {@link SilenceRepository}. */
@Entity
@Table(name = "silence")
public class SilenceEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The matchers as the API received them (jsonb), as text. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String matchers;

    @Column(name = "starts_at")
    public Instant startsAt;

    @Column(name = "ends_at")
    public Instant endsAt;

    public String comment;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    Silence silence() {
        return new Silence(id, SilenceReader.storedMatchers(matchers), startsAt, endsAt, comment, createdBy, createdAt);
    }
}
