package io.portwatch.collector.db;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates partitions before rows need them and drops those past retention. Creation runs in its
 * own short transaction (never inside an ingest transaction, so the parent table is locked only
 * for the DDL) under an advisory lock, so several collectors on one database do not race.
 */
@ApplicationScoped
public class PartitionManager {

    private static final long LOCK_KEY = 0x706f72747761L; // "portwa"

    private final AgroalDataSource dataSource;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    PartitionManager(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Makes sure the partition of {@code table} holding {@code at} exists. Cheap when it does. */
    public void ensure(PartitionedTable table, Instant at) {
        LocalDate start = table.start(at);
        String name = table.partitionName(start);
        if (known.contains(name)) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> create(table, start, name));
        known.add(name);
    }

    private void create(PartitionedTable table, LocalDate start, String name) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("select pg_advisory_xact_lock(" + LOCK_KEY + ")");
            st.execute("create table if not exists " + name + " partition of " + table.table()
                    + " for values from ('" + utc(start) + "') to ('" + utc(table.next(start)) + "')"
                    + " with (fillfactor = " + table.fillfactor() + ")");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create partition " + name, e);
        }
    }

    /** Drops the partitions of {@code table} that end at or before {@code horizon}; returns their names. */
    public List<String> dropBefore(PartitionedTable table, Instant horizon) {
        List<String> dropped = new ArrayList<>();
        for (String name : partitions(table)) {
            LocalDate start = startOf(table, name);
            if (start != null && !utcInstant(table.next(start)).isAfter(horizon)) {
                QuarkusTransaction.requiringNew().run(() -> drop(name));
                known.remove(name);
                dropped.add(name);
            }
        }
        if (!dropped.isEmpty()) {
            Log.infof("retention: dropped %s", dropped);
        }
        return dropped;
    }

    /** Names of the existing partitions of {@code table}. */
    public List<String> partitions(PartitionedTable table) {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select child.relname from pg_inherits"
                        + " join pg_class parent on parent.oid = inhparent join pg_class child on child.oid = inhrelid"
                        + " where parent.relname = ? order by child.relname")) {
            ps.setString(1, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list partitions of " + table.table(), e);
        }
        return names;
    }

    private void drop(String name) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("select pg_advisory_xact_lock(" + LOCK_KEY + ")");
            st.execute("drop table if exists " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop partition " + name, e);
        }
    }

    private static LocalDate startOf(PartitionedTable table, String name) {
        String suffix = name.substring(table.table().length() + 2);
        try {
            return switch (suffix.length()) {
                case 8 -> LocalDate.of(Integer.parseInt(suffix.substring(0, 4)), Integer.parseInt(suffix.substring(4, 6)),
                        Integer.parseInt(suffix.substring(6, 8)));
                case 6 -> LocalDate.of(Integer.parseInt(suffix.substring(0, 4)), Integer.parseInt(suffix.substring(4, 6)), 1);
                case 4 -> LocalDate.of(Integer.parseInt(suffix), 1, 1);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null; // not one of ours: leave it alone
        }
    }

    private static String utc(LocalDate day) {
        return day + " 00:00:00+00";
    }

    private static Instant utcInstant(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
