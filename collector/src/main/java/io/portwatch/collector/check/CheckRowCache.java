package io.portwatch.collector.check;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Each listed check's JSON, kept with the version of the row it was written from
 * ({@code xmin} and {@code ctid}: a new row version has a new pair). A listing reads the
 * versions of the page's rows and the full rows only of those whose version is not here, so an
 * unchanged check costs PostgreSQL one short tuple instead of 19 columns and the collector a copy
 * of its bytes instead of writing its JSON again.
 *
 * <p>Entries are dropped after {@link #MAX_AGE_NANOS}, long before transaction ids could wrap
 * around to the same pair, and all at once when the cache is full.
 */
final class CheckRowCache {

    static final long MAX_AGE_NANOS = 10L * 60 * 1_000_000_000;

    private record Entry(String version, byte[] json, long storedAt) {}

    private final ConcurrentHashMap<Long, Entry> rows = new ConcurrentHashMap<>();
    private final int capacity;

    CheckRowCache(int capacity) {
        this.capacity = capacity;
    }

    /** The JSON of this version of the check, or null. */
    byte[] get(long id, String version, long now) {
        Entry e = rows.get(id);
        return e != null && e.version.equals(version) && now - e.storedAt < MAX_AGE_NANOS ? e.json : null;
    }

    void put(long id, String version, byte[] json, long now) {
        if (capacity <= 0) {
            return;
        }
        if (rows.size() >= capacity && !rows.containsKey(id)) {
            rows.clear();
        }
        rows.put(id, new Entry(version, json, now));
    }
}
