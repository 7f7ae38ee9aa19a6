package io.portwatch.agent.spool;

import com.google.protobuf.InvalidProtocolBufferException;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.ResultBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The batches the collector has not acknowledged yet, kept on disk so that neither a collector
 * outage nor a restart of the agent loses them. A batch is appended (and, by the fsync policy,
 * forced) before it is sent; a cumulative ack deletes the segments it covers; after a restart
 * every record after the last ack is read back and re-sent, oldest first, ahead of new ones.
 *
 * <p>Bounded in bytes: when full, the oldest segment is dropped, logged and counted. When the
 * disk refuses a write (full, read-only, gone) the spool degrades to memory ({@link
 * PendingBatches}, bounded in batches) and says so; it tries the disk again every retry interval,
 * moving what waits in memory back to the disk first so that the disk keeps the older seqs.
 *
 * <p>The last acked seq is kept in a small file, written at most once a second: after a restart
 * a few acked batches may be sent again, which the collector skips (it stores by agent and seq).
 * Thread-safe.
 */
public final class Spool implements AutoCloseable {

    /** Not io.quarkus.logging.Log: the spool also runs outside Quarkus (bench/spool). */
    private static final Logger LOG = Logger.getLogger(Spool.class);

    /**
     * What the spool is told by its settings. {@code dir} empty: memory only (tests). {@code owner}
     * is the agent id: a spool directory holds the batches of one agent only.
     */
    public record Options(Optional<Path> dir, String owner, long maxBytes, long segmentBytes, FsyncPolicy fsync,
            Duration fsyncInterval, Duration retryInterval, long memoryMaxBytes) {

        public static Options memoryOnly(long memoryMaxBytes) {
            return new Options(Optional.empty(), "", 0, 0, FsyncPolicy.NEVER, Duration.ZERO, Duration.ofDays(365),
                    memoryMaxBytes);
        }
    }

    private static final String ACKED_FILE = "acked";
    private static final String OWNER_FILE = "agent-id";
    private static final Duration ACK_PERSIST_INTERVAL = Duration.ofSeconds(1);

    private final Options options;
    private final Clock clock;
    private final long segmentBytes;
    private final Deque<SegmentFile> segments = new ArrayDeque<>();
    private final PendingBatches memory;
    private final List<ProbeResult> recovered = new ArrayList<>();

    // Guarded by this.
    private long bytes;
    private long acked;
    private long lastSeq;
    private long droppedFromDisk;
    private long damagedRecords;
    private String degraded;
    private long retryAtNanos;
    private boolean unforced;
    private long forcedAtNanos;
    private boolean ackUnsaved;
    private long ackSavedAtNanos;
    private boolean closed;

    private Spool(Options options, Clock clock) {
        this.options = options;
        this.clock = clock;
        // At least four segments fit: dropping the oldest when full gives back a quarter at most.
        this.segmentBytes = Math.max(64 * 1024, Math.min(options.segmentBytes(), options.maxBytes() / 4));
        this.memory = new PendingBatches(options.memoryMaxBytes());
    }

    /**
     * Opens the spool directory and reads back what an earlier run left there. Never fails: a
     * directory that cannot be used gives a spool degraded to memory, which says why.
     */
    public static Spool open(Options options, Clock clock) {
        Spool spool = new Spool(options, clock);
        if (options.dir().isEmpty()) {
            return spool;
        }
        Path dir = options.dir().get();
        try {
            Files.createDirectories(dir);
            claim(dir, options.owner());
            spool.acked = readAcked(dir);
            spool.recover(dir);
        } catch (IOException | RuntimeException e) {
            spool.closeSegments();
            spool.degrade("cannot use " + dir + ": " + describe(e));
        }
        return spool;
    }

    private void recover(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(SegmentFile::isSegment).sorted().toList();
        }
        List<SegmentFile> read = new ArrayList<>();
        for (Path file : files) {
            try {
                read.add(SegmentFile.recover(file));
            } catch (IOException e) {
                LOG.errorf("spool: %s cannot be read (%s); it is left in place and skipped", file, e.getMessage());
            }
        }
        for (int i = 0; i < read.size(); i++) {
            SegmentFile segment = read.get(i);
            Path file = segment.path();
            SegmentFile.Damage damage = segment.damage();
            if (damage != null) {
                damagedRecords++;
                LOG.warnf("spool: %s: %s at byte %d; its last %d bytes were cut off (a write cut short by a kill"
                        + " or power loss). %d whole records before it are kept", file.getFileName(), damage.why(),
                        damage.offset(), damage.bytesSkipped(), segment.entries().size());
            }
            boolean last = i == read.size() - 1;
            if (last && !segment.trailingResults().isEmpty()) {
                // Results the killed agent had not cut into a batch yet: they are cut now, and the
                // new batch appended after them in this segment, which therefore stays.
                for (SegmentFile.Entry e : segment.trailingResults()) {
                    try {
                        recovered.add(ProbeResult.parseFrom(segment.read(e)));
                    } catch (IOException ex) {
                        damagedRecords++;
                        LOG.errorf("spool: %s: a journaled result at byte %d cannot be read back (%s); it is skipped",
                                file.getFileName(), e.offset(), ex.getMessage());
                    }
                }
                segments.addLast(segment);
                bytes += segment.size();
                if (!segment.isEmpty()) {
                    lastSeq = Math.max(lastSeq, segment.lastSeq());
                }
                continue;
            }
            if (segment.isEmpty() || segment.lastSeq() <= acked || (!segments.isEmpty()
                    && segment.firstSeq() <= segments.peekLast().lastSeq())) {
                segment.delete(); // acked, empty, or out of order (a copy from elsewhere): nothing to send
                continue;
            }
            segments.addLast(segment);
            bytes += segment.size();
            lastSeq = Math.max(lastSeq, segment.lastSeq());
        }
        if (!recovered.isEmpty()) {
            LOG.infof("spool %s: %d results the agent had not cut into a batch before it stopped are sent too", dir,
                    recovered.size());
        }
        lastSeq = Math.max(lastSeq, acked);
        if (!segments.isEmpty()) {
            LOG.infof("spool %s: %d unacknowledged batches (%d bytes) from an earlier run will be sent first", dir,
                    unackedOnDisk(), bytes);
        }
    }

    /** Keeps {@code batch} until acked: on disk, or in memory while the disk refuses it. */
    public synchronized void append(ResultBatch batch) {
        if (closed) {
            throw new IllegalStateException("spool closed");
        }
        long now = clock.millis();
        lastSeq = Math.max(lastSeq, batch.getSeq());
        if (options.dir().isEmpty() || (degraded != null && !retryDisk())) {
            memory.add(batch, now);
            return;
        }
        try {
            write(batch, now);
        } catch (IOException e) {
            degrade("writing " + options.dir().get() + " failed: " + describe(e));
            memory.add(batch, now);
        }
    }

    /**
     * Writes one result before it is part of a batch, so that a killed agent loses none: the
     * batch cut later covers it. Not forced (a batch append forces it with the batch, by the
     * fsync policy). Skipped while degraded: the batch then waits in memory anyway.
     */
    public synchronized void journal(ProbeResult result) {
        if (closed || options.dir().isEmpty() || degraded != null) {
            return;
        }
        try {
            // Never rolls: a batch covers the results journaled before it in the same segment.
            appendRecord(SegmentFile.RESULT, clock.millis(), result.toByteArray(), lastSeq + 1, false);
        } catch (IOException e) {
            degrade("writing " + options.dir().get() + " failed: " + describe(e));
        }
    }

    /**
     * The results an earlier run journaled but had not cut into a batch when it stopped; each is
     * returned once, to be cut into a batch now (which covers them on disk).
     */
    public synchronized List<ProbeResult> takeRecoveredResults() {
        List<ProbeResult> out = List.copyOf(recovered);
        recovered.clear();
        return out;
    }

    /** Cumulative: every batch up to {@code seq} is stored by the collector. */
    public synchronized void ack(long seq) {
        if (seq <= acked) {
            return;
        }
        acked = seq;
        memory.ack(seq);
        // The active (last) segment stays open for appends even when all of it is acked.
        while (segments.size() > 1 && (segments.peekFirst().isEmpty() || segments.peekFirst().lastSeq() <= seq)) {
            SegmentFile gone = segments.removeFirst();
            bytes -= gone.size();
            gone.delete();
        }
        ackUnsaved = true;
        if (System.nanoTime() - ackSavedAtNanos >= ACK_PERSIST_INTERVAL.toNanos()) {
            saveAcked();
        }
    }

    /** At most {@code max} unacked batches with seq above {@code seq}, in seq order. */
    public synchronized List<ResultBatch> after(long seq, int max) {
        long from = Math.max(seq, acked);
        List<ResultBatch> out = new ArrayList<>(Math.min(max, 64));
        Iterator<SegmentFile> it = segments.iterator();
        while (it.hasNext() && out.size() < max) {
            SegmentFile segment = it.next();
            if (segment.isEmpty() || segment.lastSeq() <= from) {
                continue;
            }
            List<SegmentFile.Entry> entries = segment.entries();
            for (int i = firstAfter(entries, from); i < entries.size() && out.size() < max; i++) {
                SegmentFile.Entry e = entries.get(i);
                if (e.seq() > from && !readInto(segment, e, out)) {
                    i--; // the damaged entry left the list
                }
            }
        }
        if (out.size() < max) {
            memory.after(from, max, out);
        }
        return out;
    }

    /** Periodic work: forces appends by the interval policy, saves the acked seq, retries the disk. */
    public synchronized void tick() {
        if (closed) {
            return;
        }
        if (unforced && options.fsync() == FsyncPolicy.INTERVAL
                && System.nanoTime() - forcedAtNanos >= options.fsyncInterval().toNanos()) {
            force();
        }
        if (ackUnsaved) {
            saveAcked();
        }
        if (degraded != null && memory.size() > 0) {
            retryDisk();
        }
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    public synchronized long acked() {
        return acked;
    }

    /** Unacknowledged batches, on disk and in memory. */
    public synchronized int batches() {
        return unackedOnDisk() + memory.size();
    }

    /** Bytes of the segment files. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Unacked batches dropped because a bound was reached (disk bytes, or memory batches). */
    public synchronized long dropped() {
        return droppedFromDisk + memory.dropped();
    }

    /** Records found torn or damaged when reading the spool back (each cut off there). */
    public synchronized long damagedRecords() {
        return damagedRecords;
    }

    /** How long the oldest unacknowledged batch has waited; zero when none waits. */
    public synchronized Duration oldestUnackedAge() {
        OptionalLong oldest = OptionalLong.empty();
        for (SegmentFile s : segments) {
            int first = firstAfter(s.entries(), acked);
            if (first < s.entries().size()) {
                oldest = OptionalLong.of(s.entries().get(first).appendedAtMs());
                break;
            }
        }
        if (oldest.isEmpty()) {
            oldest = memory.oldestTime();
        }
        return oldest.isEmpty() ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - oldest.getAsLong()));
    }

    /** Why batches are kept in memory instead of on disk; empty while the disk takes them. */
    public synchronized Optional<String> degraded() {
        return Optional.ofNullable(degraded);
    }

    public Optional<Path> dir() {
        return options.dir();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (degraded == null && options.fsync() != FsyncPolicy.NEVER && unforced) {
            force();
        }
        if (ackUnsaved) {
            saveAcked();
        }
        closed = true;
        closeSegments();
        if (memory.size() > 0) {
            LOG.warnf("spool: %d unacknowledged batches held in memory (the disk refused them) are lost with this"
                    + " stop", memory.size());
        }
    }

    // ---------------------------------------------------------------------------------------------

    private void write(ResultBatch batch, long appendedAtMs) throws IOException {
        SegmentFile active = appendRecord(batch.getSeq(), appendedAtMs, batch.toByteArray(), batch.getSeq(), true);
        if (options.fsync() == FsyncPolicy.BATCH) {
            active.force();
            unforced = false;
            forcedAtNanos = System.nanoTime();
        }
    }

    /**
     * Appends one record to the active segment, first starting one (named {@code newSegmentSeq})
     * when there is none, or, if {@code mayRoll}, when the record would take it past its size;
     * drops the oldest segments as the byte bound requires. Returns the segment written.
     */
    private SegmentFile appendRecord(long seq, long appendedAtMs, byte[] payload, long newSegmentSeq,
            boolean mayRoll) throws IOException {
        long recordBytes = SegmentFile.HEADER + payload.length;
        SegmentFile active = segments.peekLast();
        if (active == null || (mayRoll && !active.isEmpty() && active.size() + recordBytes > segmentBytes)) {
            if (active != null && options.fsync() != FsyncPolicy.NEVER) {
                active.force();
            }
            active = SegmentFile.create(options.dir().get(), newSegmentSeq);
            segments.addLast(active);
            bytes += active.size();
        }
        makeRoom(recordBytes);
        long before = active.size();
        active.append(seq, appendedAtMs, payload);
        bytes += active.size() - before;
        unforced = true;
        return active;
    }

    /** Drops the oldest segments (never the active one) until a record of {@code recordBytes} fits. */
    private void makeRoom(long recordBytes) {
        while (bytes + recordBytes > options.maxBytes() && segments.size() > 1) {
            SegmentFile oldest = segments.removeFirst();
            bytes -= oldest.size();
            long lost = oldest.entries().stream().filter(e -> e.seq() > acked).count();
            droppedFromDisk += lost;
            if (lost > 0) {
                LOG.errorf("spool full (%d bytes, portwatch.spool.max-bytes): dropped its oldest segment %s with %d"
                        + " unacknowledged batches (seq %d..%d); the history has a gap there", options.maxBytes(),
                        oldest.path().getFileName(), lost, oldest.firstSeq(), oldest.lastSeq());
            }
            oldest.delete();
        }
    }

    /** Index of the first entry with a seq above {@code seq} (entries are in seq order). */
    private static int firstAfter(List<SegmentFile.Entry> entries, long seq) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).seq() <= seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** False when the record could not be read back (it is then skipped for good). */
    private boolean readInto(SegmentFile segment, SegmentFile.Entry e, List<ResultBatch> out) {
        try {
            out.add(ResultBatch.parseFrom(segment.read(e)));
            return true;
        } catch (InvalidProtocolBufferException ex) {
            damaged(segment, e, "is not a batch: " + ex.getMessage());
        } catch (IOException ex) {
            damaged(segment, e, "cannot be read: " + ex.getMessage());
        }
        return false;
    }

    /** A record that cannot be read back is skipped for good (acked locally), so the link never stalls on it. */
    private void damaged(SegmentFile segment, SegmentFile.Entry e, String why) {
        damagedRecords++;
        droppedFromDisk++;
        segment.entries().remove(e);
        LOG.errorf("spool: %s: the batch of seq %d %s; it is skipped", segment.path().getFileName(), e.seq(), why);
    }

    /** True when the disk takes writes again; moves what waited in memory there first, oldest first. */
    private boolean retryDisk() {
        if (System.nanoTime() - retryAtNanos < 0) {
            return false;
        }
        try {
            Files.createDirectories(options.dir().get());
            claim(options.dir().get(), options.owner());
            ResultBatch next;
            while ((next = memory.oldest()) != null) {
                write(next, memory.oldestTime().getAsLong());
                memory.removeOldest();
            }
        } catch (IOException e) {
            retryAtNanos = System.nanoTime() + options.retryInterval().toNanos();
            return false;
        }
        LOG.infof("spool %s takes writes again; batches are kept on disk as before", options.dir().get());
        degraded = null;
        return true;
    }

    private void degrade(String why) {
        if (degraded == null) {
            LOG.errorf("spool degraded to memory (at most %d bytes of batches, portwatch.spool.memory-max-bytes): %s;"
                    + " the disk is tried again every %d s", options.memoryMaxBytes(), why,
                    options.retryInterval().toSeconds());
        }
        degraded = why;
        retryAtNanos = System.nanoTime() + options.retryInterval().toNanos();
    }

    private void force() {
        SegmentFile active = segments.peekLast();
        try {
            if (active != null) {
                active.force();
            }
            unforced = false;
            forcedAtNanos = System.nanoTime();
        } catch (IOException e) {
            degrade("forcing " + active.path() + " to disk failed: " + describe(e));
        }
    }

    private int unackedOnDisk() {
        int n = 0;
        for (SegmentFile s : segments) {
            n += s.entries().size() - firstAfter(s.entries(), acked);
        }
        return n;
    }

    private void saveAcked() {
        ackUnsaved = false;
        ackSavedAtNanos = System.nanoTime();
        if (options.dir().isEmpty() || degraded != null) {
            return;
        }
        Path dir = options.dir().get();
        Path tmp = dir.resolve(ACKED_FILE + ".tmp");
        try {
            Files.writeString(tmp, Long.toString(acked), StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve(ACKED_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Only costs re-sending a few acked batches after a restart; the collector skips them.
            LOG.debugf("spool: saving the acked seq failed: %s", e.getMessage());
        }
    }

    /**
     * Writes the agent id into a new spool directory and checks it in a used one: batches of
     * another agent sent under this agent's id would be stored as its history.
     */
    private static void claim(Path dir, String owner) throws IOException {
        Path file = dir.resolve(OWNER_FILE);
        if (Files.exists(file)) {
            String found = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!found.equals(owner)) {
                throw new IOException("it holds the batches of agent \"" + found + "\", not of this agent \"" + owner
                        + "\"; give each agent its own portwatch.spool.dir (or delete the directory to discard them)");
            }
            return;
        }
        Files.writeString(file, owner + "\n", StandardCharsets.UTF_8);
    }

    private static long readAcked(Path dir) {
        Path file = dir.resolve(ACKED_FILE);
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("spool: %s is unreadable (%s); batches already acked may be sent again", file, e.getMessage());
            return 0;
        }
    }

    private void closeSegments() {
        segments.forEach(SegmentFile::close);
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
