package io.portwatch.agent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * One segment file of the spool: an 8-byte magic, then records appended one after the other,
 * each {@code length:int crc32c:int seq:long appendedAtMs:long payload[length]}. The CRC covers
 * seq, time and payload, so a record is either whole and as written or detected as damaged.
 * A record is a batch ({@code seq > 0}, a ResultBatch) or a single result journaled before its
 * batch is cut ({@code seq == 0}, a ProbeResult); a batch covers every result journaled before it.
 * Reading a segment back stops at its first torn or damaged record (a write cut short by a kill
 * or a power loss); the file is truncated there so that appends continue after the last good
 * record. Not thread-safe; {@link Spool} guards it.
 */
final class SegmentFile implements AutoCloseable {

    /** Not io.quarkus.logging.Log: the spool also runs outside Quarkus (bench/spool). */
    private static final Logger LOG = Logger.getLogger(SegmentFile.class);

    static final String PREFIX = "segment-";
    static final String SUFFIX = ".spool";
    private static final byte[] MAGIC = "PWSPOOL1".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = 24;
    /** Far above any batch (gRPC refuses messages over 16 MB): a larger length is damage, not data. */
    static final int MAX_PAYLOAD = 32 << 20;

    /** Where one record is: its payload starts at {@code offset + HEADER}. */
    record Entry(long seq, long appendedAtMs, long offset, int length) {
        long end() {
            return offset + HEADER + length;
        }
    }

    /** The seq of a journaled result's record. */
    static final long RESULT = 0;

    /** What reading a segment back found past its last good record, if anything. */
    record Damage(long offset, long bytesSkipped, String why) {}

    private final Path path;
    private final FileChannel channel;
    private final List<Entry> entries = new ArrayList<>();
    /** Results journaled after the last batch, found when read back (empty while appending). */
    private final List<Entry> trailingResults = new ArrayList<>();
    private long size;
    private final Damage damage;

    private SegmentFile(Path path, FileChannel channel, long size, Damage damage) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.damage = damage;
    }

    static Path pathFor(Path dir, long firstSeq) {
        return dir.resolve(PREFIX + String.format("%020d", firstSeq) + SUFFIX);
    }

    static boolean isSegment(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    /** A new, empty segment whose first record will have {@code firstSeq}. */
    static SegmentFile create(Path dir, long firstSeq) throws IOException {
        Path path = pathFor(dir, firstSeq);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            writeFully(ch, ByteBuffer.wrap(MAGIC), 0);
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
        return new SegmentFile(path, ch, MAGIC.length, null);
    }

    /**
     * Reads an existing segment back: every whole record up to the first damaged one, whose
     * bytes and everything after them are cut off. A file too short to hold the magic (killed
     * while being created) reads as an empty segment.
     */
    static SegmentFile recover(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long fileSize = ch.size();
            ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
            readFully(ch, magic, 0);
            if (fileSize < MAGIC.length) {
                ch.truncate(0);
                writeFully(ch, ByteBuffer.wrap(MAGIC), 0);
                return new SegmentFile(path, ch, MAGIC.length,
                        fileSize == 0 ? null : new Damage(0, fileSize, "a file header cut short"));
            }
            if (!Arrays.equals(magic.array(), MAGIC)) {
                throw new IOException(path + " is not a spool segment (no PWSPOOL1 header)");
            }
            List<Entry> found = new ArrayList<>();
            List<Entry> trailing = new ArrayList<>();
            long pos = MAGIC.length;
            long lastSeq = Long.MIN_VALUE;
            String why = null;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos < fileSize) {
                if (fileSize - pos < HEADER) {
                    why = "a record header cut short";
                    break;
                }
                header.clear();
                readFully(ch, header, pos);
                header.flip();
                int length = header.getInt();
                int crc = header.getInt();
                long seq = header.getLong();
                long at = header.getLong();
                if (length < 0 || length > MAX_PAYLOAD) {
                    why = "a record length of " + length;
                    break;
                }
                if (fileSize - pos - HEADER < length) {
                    why = "a record cut short (" + (fileSize - pos - HEADER) + " of " + length + " bytes)";
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(ch, payload, pos + HEADER);
                if (crc(seq, at, payload.array()) != crc) {
                    why = "a record whose CRC does not match";
                    break;
                }
                if (seq == RESULT) {
                    trailing.add(new Entry(seq, at, pos, length));
                    pos += HEADER + length;
                    continue;
                }
                if (seq <= lastSeq) {
                    why = "a record whose seq " + seq + " does not follow " + lastSeq;
                    break;
                }
                lastSeq = seq;
                trailing.clear();
                found.add(new Entry(seq, at, pos, length));
                pos += HEADER + length;
            }
            Damage damage = null;
            if (why != null) {
                damage = new Damage(pos, fileSize - pos, why);
                ch.truncate(pos);
            }
            SegmentFile segment = new SegmentFile(path, ch, pos, damage);
            segment.entries.addAll(found);
            segment.trailingResults.addAll(trailing);
            return segment;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Appends one record; on failure the file is cut back to where it was, and the error rethrown.
     * A batch's entry is returned (and kept); a result's ({@code seq == RESULT}) is not kept.
     */
    Entry append(long seq, long appendedAtMs, byte[] payload) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(HEADER + payload.length);
        record.putInt(payload.length).putInt(crc(seq, appendedAtMs, payload)).putLong(seq).putLong(appendedAtMs)
                .put(payload).flip();
        long offset = size;
        try {
            writeFully(channel, record, offset);
        } catch (IOException e) {
            try {
                channel.truncate(offset);
            } catch (IOException again) {
                e.addSuppressed(again); // the next read-back cuts the torn record off
            }
            throw e;
        }
        Entry entry = new Entry(seq, appendedAtMs, offset, payload.length);
        if (seq != RESULT) {
            entries.add(entry);
        }
        size = entry.end();
        return entry;
    }

    /** The payload of one record of this segment, checked against its CRC again. */
    byte[] read(Entry e) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(HEADER + e.length());
        readFully(channel, record, e.offset());
        byte[] payload = Arrays.copyOfRange(record.array(), HEADER, HEADER + e.length());
        if (crc(e.seq(), e.appendedAtMs(), payload) != record.getInt(4)) {
            throw new IOException(path.getFileName() + ": the record of seq " + e.seq() + " at byte " + e.offset()
                    + " changed on disk (CRC mismatch)");
        }
        return payload;
    }

    void force() throws IOException {
        channel.force(false);
    }

    List<Entry> entries() {
        return entries;
    }

    /** Results journaled after the segment's last batch, as read back from the file. */
    List<Entry> trailingResults() {
        return trailingResults;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    long firstSeq() {
        return entries.get(0).seq();
    }

    long lastSeq() {
        return entries.get(entries.size() - 1).seq();
    }

    long size() {
        return size;
    }

    Path path() {
        return path;
    }

    Damage damage() {
        return damage;
    }

    /** Closes and deletes the file. */
    void delete() {
        close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warnf("spool: could not delete %s: %s", path, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debugf("spool: closing %s: %s", path, e.getMessage());
        }
    }

    private static int crc(long seq, long appendedAtMs, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(16).putLong(seq).putLong(appendedAtMs).flip());
        crc.update(payload);
        return (int) crc.getValue();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                return;
            }
            pos += n;
        }
    }
}
