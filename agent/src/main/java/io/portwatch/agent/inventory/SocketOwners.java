package io.portwatch.agent.inventory;

import io.portwatch.agent.inventory.ListeningSocket.Owner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Finds the process that holds each socket, as {@code ss -p} does: every {@code /proc/<pid>/fd/*}
 * that links to {@code socket:[inode]}. Another user's descriptors can only be read as root (or
 * with {@code CAP_SYS_PTRACE}); their sockets keep {@link Owner#UNKNOWN}.
 */
final class SocketOwners {

    /** The kernel's {@code comm} is at most 15 bytes; a longer one is not a comm file. */
    private static final int MAX_COMMAND = 64;
    /** A bound on the walk, so that a host with a million descriptors costs a bounded scan. */
    private static final int MAX_DESCRIPTORS = 1_000_000;

    private SocketOwners() {}

    /** The owners of {@code inodes}, looked up under {@code proc}; inodes not found are absent. */
    static Map<Long, Owner> find(Path proc, Set<Long> inodes) {
        Map<Long, Owner> owners = new HashMap<>();
        if (inodes.isEmpty()) {
            return owners;
        }
        int seen = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, SocketOwners::isPid)) {
            for (Path pidDir : pids) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (++seen > MAX_DESCRIPTORS) {
                            return owners;
                        }
                        Long inode = socketInode(fd);
                        if (inode != null && inodes.contains(inode) && !owners.containsKey(inode)) {
                            long pid = Long.parseLong(pidDir.getFileName().toString());
                            owners.put(inode, new Owner.Process(pid, command(pidDir)));
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // another user's process without root, or one that has just exited
                }
            }
        } catch (IOException e) {
            return owners; // no /proc: nothing known
        }
        return owners;
    }

    private static boolean isPid(Path p) {
        String name = p.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static Long socketInode(Path fd) {
        String target;
        try {
            target = Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        if (!target.startsWith("socket:[") || !target.endsWith("]")) {
            return null;
        }
        try {
            return Long.parseLong(target.substring(8, target.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The process's {@code comm}, printable characters only; "?" when it cannot be read. */
    private static String command(Path pidDir) {
        try {
            byte[] raw = Files.readAllBytes(pidDir.resolve("comm"));
            String text = new String(raw, 0, Math.min(raw.length, MAX_COMMAND), StandardCharsets.UTF_8).strip();
            StringBuilder b = new StringBuilder(text.length());
            text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
            return b.isEmpty() ? "?" : b.toString();
        } catch (IOException e) {
            return "?";
        }
    }
}
