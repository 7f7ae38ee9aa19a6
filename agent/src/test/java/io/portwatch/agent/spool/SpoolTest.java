package io.portwatch.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.ResultBatch;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool on real files: what a kill (a spool never closed), a torn write, a damaged byte, a
 * full spool and a disk that refuses writes leave behind, read back by a new spool as a restarted
 * agent would.
 */
class SpoolTest {

    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path tmp;

    private Spool.Options options(Path dir, long maxBytes, long segmentBytes, FsyncPolicy fsync) {
        return new Spool.Options(Optional.of(dir), "agent-1", maxBytes, segmentBytes, fsync, Duration.ofMillis(100),
                Duration.ZERO, 1 << 20);
    }

    private Spool open(Path dir) {
        return Spool.open(options(dir, 1 << 20, 1 << 20, FsyncPolicy.BATCH), CLOCK);
    }

    @Test
    void unackedBatchesSurviveAKillAndAreReadBackInOrder() {
        Path dir = tmp.resolve("spool");
        Spool first = open(dir);
        LongStream.rangeClosed(101, 105).forEach(seq -> first.append(batch(seq, 3)));
        first.ack(102);
        // No close(): a killed agent closes nothing.

        Spool second = open(dir);
        assertEquals(List.of(103L, 104L, 105L), seqs(second.after(0, 100)));
        assertEquals(3, second.batches());
        assertEquals(105, second.lastSeq(), "new seqs continue after the spool's newest");
        assertEquals(102, second.acked());
        assertEquals(batch(104, 3), second.after(103, 1).get(0), "a batch reads back unchanged");
        assertEquals(0, second.damagedRecords());
    }

    @Test
    void aTornTailAtAnyByteKeepsEveryWholeRecordBeforeItAndAppendsContinue() throws IOException {
        Path dir = tmp.resolve("spool");
        Spool full = open(dir);
        LongStream.rangeClosed(1, 4).forEach(seq -> full.append(batch(seq, 2)));
        full.close();
        Path segment = onlySegment(dir);
        byte[] whole = Files.readAllBytes(segment);
        List<Long> recordEnds = recordEnds(whole.length);

        for (int at = 0; at < whole.length; at++) {
            int cut = at;
            Path copy = Files.createDirectories(tmp.resolve("cut-" + cut));
            Files.write(copy.resolve(segment.getFileName()), java.util.Arrays.copyOf(whole, cut));
            Spool spool = open(copy);
            long kept = recordEnds.stream().filter(end -> end <= cut).count();
            List<Long> expected = LongStream.rangeClosed(1, kept).boxed().toList();
            assertEquals(expected, seqs(spool.after(0, 100)), "cut at byte " + cut);
            boolean torn = cut > 0 && !recordEnds.contains((long) cut) && cut != 8;
            assertEquals(torn ? 1 : 0, spool.damagedRecords(), "damage counted once, cut at byte " + cut);

            spool.append(batch(9, 1));
            spool.close();
            assertEquals(append(expected, 9L), seqs(open(copy).after(0, 100)),
                    "appends after a torn tail read back, cut at byte " + cut);
        }
    }

    @Test
    void resultsNotYetCutIntoABatchSurviveAKillAndAreCoveredOnceTheirBatchIsAppended() {
        Path dir = tmp.resolve("spool");
        Spool first = open(dir);
        first.journal(result(1));
        first.append(batch(11, 1)); // covers result 1
        first.journal(result(2));
        first.journal(result(3));
        // Killed here: results 2 and 3 are in no batch yet.

        Spool second = open(dir);
        assertEquals(List.of(result(2), result(3)), second.takeRecoveredResults());
        assertEquals(List.of(), second.takeRecoveredResults(), "each is handed out once");
        assertEquals(List.of(11L), seqs(second.after(0, 100)));
        second.append(ResultBatch.newBuilder().setSeq(12).addResults(result(2)).addResults(result(3)).build());
        // Killed again, after the batch that covers them.

        Spool third = open(dir);
        assertEquals(List.of(), third.takeRecoveredResults(), "covered by batch 12");
        assertEquals(List.of(11L, 12L), seqs(third.after(0, 100)));
    }

    @Test
    void aTornJournaledResultIsCutOffAndTheOnesBeforeItKept() throws IOException {
        Path dir = tmp.resolve("spool");
        Spool spool = open(dir);
        spool.journal(result(1));
        spool.journal(result(2));
        Path segment = onlySegment(dir);
        long size = Files.size(segment);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(size - 3);
        }

        Spool reopened = open(dir);
        assertEquals(List.of(result(1)), reopened.takeRecoveredResults());
        assertEquals(1, reopened.damagedRecords());
    }

    @Test
    void aDamagedByteCutsTheSegmentAtThatRecord() throws IOException {
        Path dir = tmp.resolve("spool");
        Spool spool = open(dir);
        LongStream.rangeClosed(1, 3).forEach(seq -> spool.append(batch(seq, 2)));
        spool.close();
        Path segment = onlySegment(dir);
        long secondRecordPayload = recordEnds(Files.size(segment)).get(0) + SegmentFile.HEADER + 5;
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(secondRecordPayload);
            int b = f.read();
            f.seek(secondRecordPayload);
            f.write(b ^ 0x40);
        }

        Spool reopened = open(dir);
        assertEquals(List.of(1L), seqs(reopened.after(0, 100)));
        assertEquals(1, reopened.damagedRecords());
    }

    @Test
    void anAckDeletesTheSegmentsItCoversButNotTheActiveOne() throws IOException {
        Path dir = tmp.resolve("spool");
        // 64 KiB segments (the smallest) and batches of about 20 KB: three records a segment.
        Spool spool = Spool.open(options(dir, 1 << 20, 64 * 1024, FsyncPolicy.BATCH), CLOCK);
        LongStream.rangeClosed(1, 9).forEach(seq -> spool.append(batchOf20k(seq)));
        assertEquals(3, segments(dir).size());

        spool.ack(6);
        assertEquals(1, segments(dir).size());
        assertEquals(List.of(7L, 8L, 9L), seqs(spool.after(0, 100)));
        spool.ack(9);
        assertEquals(1, segments(dir).size(), "the active segment stays for the next append");
        assertEquals(0, spool.batches());
        assertEquals(Duration.ZERO, spool.oldestUnackedAge());
    }

    @Test
    void aFullSpoolDropsItsOldestSegmentAndCountsTheBatches() throws IOException {
        Path dir = tmp.resolve("spool");
        Spool spool = Spool.open(options(dir, 256 * 1024, 64 * 1024, FsyncPolicy.NEVER), CLOCK);
        LongStream.rangeClosed(1, 40).forEach(seq -> spool.append(batchOf20k(seq)));

        assertTrue(spool.bytes() <= 256 * 1024, "bytes " + spool.bytes());
        List<Long> kept = seqs(spool.after(0, 100));
        assertEquals(40L, kept.get(kept.size() - 1));
        assertEquals(LongStream.rangeClosed(kept.get(0), 40).boxed().toList(), kept, "the newest, without holes");
        assertEquals(40 - kept.size(), spool.dropped());
        assertEquals(kept, seqs(open(dir).after(0, 100)));
    }

    @Test
    void aDirectoryThatCannotBeCreatedDegradesToMemory() throws IOException {
        Path blocked = Files.writeString(tmp.resolve("not-a-dir"), "a file where the spool directory should be");
        Spool spool = open(blocked.resolve("spool"));

        assertTrue(spool.degraded().isPresent());
        spool.append(batch(1, 1));
        spool.append(batch(2, 1));
        assertEquals(List.of(1L, 2L), seqs(spool.after(0, 100)));
        spool.ack(1);
        assertEquals(1, spool.batches());
    }

    @Test
    void aDiskThatRefusesWritesDegradesToMemoryAndTakesItAllBackInOrder() throws IOException {
        Path dir = tmp.resolve("spool");
        Spool spool = Spool.open(options(dir, 1 << 20, 64 * 1024, FsyncPolicy.BATCH), CLOCK);
        LongStream.rangeClosed(1, 3).forEach(seq -> spool.append(batchOf20k(seq)));
        // The next segment cannot be created: the directory is gone and a file stands in its place.
        moveAway(dir);
        Files.writeString(dir, "in the way");
        LongStream.rangeClosed(4, 6).forEach(seq -> spool.append(batchOf20k(seq)));
        assertTrue(spool.degraded().isPresent(), "degraded");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs(spool.after(0, 100)));

        Files.delete(dir);
        spool.tick(); // the retry interval is 0 here
        assertTrue(spool.degraded().isEmpty(), "writable again");
        spool.append(batch(7, 1));
        assertEquals(List.of(4L, 5L, 6L, 7L), seqs(open(dir).after(0, 100)),
                "what waited in memory went to the disk first, then the new batch");
        assertEquals(0, spool.dropped());
    }

    @Test
    void everyFsyncPolicyReadsBack() {
        for (FsyncPolicy policy : FsyncPolicy.values()) {
            Path dir = tmp.resolve("fsync-" + policy);
            Spool spool = Spool.open(options(dir, 1 << 20, 1 << 20, policy), CLOCK);
            LongStream.rangeClosed(1, 3).forEach(seq -> spool.append(batch(seq, 2)));
            spool.tick();
            assertEquals(List.of(1L, 2L, 3L), seqs(open(dir).after(0, 100)), policy.name());
            spool.close();
        }
    }

    @Test
    void aSpoolOfAnotherAgentIsNotSentUnderThisOnesId() {
        Path dir = tmp.resolve("spool");
        Spool first = open(dir);
        first.append(batch(1, 1));
        first.close();

        Spool other = Spool.open(new Spool.Options(Optional.of(dir), "agent-2", 1 << 20, 1 << 20, FsyncPolicy.BATCH,
                Duration.ofSeconds(1), Duration.ofHours(1), 1 << 20), CLOCK);
        assertTrue(other.degraded().orElseThrow().contains("holds the batches of agent \"agent-1\", not of this agent"
                + " \"agent-2\""), other.degraded().orElseThrow());
        assertEquals(List.of(), seqs(other.after(0, 100)));
        assertEquals(List.of(1L), seqs(open(dir).after(0, 100)), "left as it was for its agent");
    }

    @Test
    void memoryOnlyKeepsItsBound() {
        Spool spool = Spool.open(Spool.Options.memoryOnly(2L * batch(1, 1).getSerializedSize()), CLOCK);
        LongStream.rangeClosed(1, 3).forEach(seq -> spool.append(batch(seq, 1)));
        assertEquals(List.of(2L, 3L), seqs(spool.after(0, 100)));
        assertEquals(1, spool.dropped());
        assertTrue(spool.degraded().isEmpty(), "memory only by choice is not degraded");
    }

    // ---------------------------------------------------------------------------------------------

    /** Record end offsets of a segment of records written by {@link #batch}: derived by reading it back. */
    private List<Long> recordEnds(long fileSize) throws IOException {
        try (SegmentFile segment = SegmentFile.recover(onlySegmentOf(tmp.resolve("spool")))) {
            List<Long> ends = new ArrayList<>();
            segment.entries().forEach(e -> ends.add(e.end()));
            assertEquals(fileSize, ends.get(ends.size() - 1), "the whole file is records");
            return ends;
        }
    }

    /** A batch of about 20 KB: three fit in a 64 KiB segment, a fourth does not. */
    static ResultBatch batchOf20k(long seq) {
        int perResult = batch(seq, 1).getSerializedSize();
        ResultBatch b = batch(seq, 20_000 / perResult);
        assertTrue(b.getSerializedSize() > 17_000 && b.getSerializedSize() < 21_800, "size " + b.getSerializedSize());
        return b;
    }

    static ProbeResult result(int n) {
        return ProbeResult.newBuilder().setInstanceKey("web|127.0.0.1|tcp|" + n).setState(PortState.CLOSED)
                .setObservedAtMs(1_700_000_000_000L + n).build();
    }

    static ResultBatch batch(long seq, int results) {
        ResultBatch.Builder b = ResultBatch.newBuilder().setSeq(seq);
        for (int i = 0; i < results; i++) {
            b.addResults(ProbeResult.newBuilder().setInstanceKey("web|127.0.0.1|tcp|" + (8000 + i))
                    .setState(PortState.OPEN).setAddress("127.0.0.1").setDetail("spool test")
                    .setObservedAtMs(1_700_000_000_000L + seq * 1000 + i).setLatencyMicros(250 + i));
        }
        return b.build();
    }

    private static List<Long> seqs(List<ResultBatch> batches) {
        return batches.stream().map(ResultBatch::getSeq).toList();
    }

    private static List<Long> append(List<Long> list, Long last) {
        List<Long> out = new ArrayList<>(list);
        out.add(last);
        return out;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(SegmentFile::isSegment).sorted().toList();
        }
    }

    private static Path onlySegment(Path dir) throws IOException {
        return onlySegmentOf(dir);
    }

    private static Path onlySegmentOf(Path dir) throws IOException {
        List<Path> all = segments(dir);
        assertEquals(1, all.size(), "segments " + all);
        return all.get(0);
    }

    private void moveAway(Path dir) throws IOException {
        Files.move(dir, tmp.resolve("moved-" + System.nanoTime()));
    }
}
