package io.portwatch.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away target host for tests: a network namespace joined to this one by a veth pair on a
 * /30 of 198.18.0.0/15 (RFC 2544's benchmark range, never routed on the Internet). Every command
 * is bounded in time; {@link #remove()} is idempotent and safe to call from a shutdown hook.
 */
public final class NetworkNamespace {

    private static final long COMMAND_SECONDS = 10;

    private final String name;
    private final String vethHost;
    private final String vethInside;
    private String hostAddress;
    private String targetAddress;
    private String targetAddress6;
    private final List<Process> started = new ArrayList<>();
    private volatile boolean created;

    public NetworkNamespace(String name, String vethPrefix) {
        this.name = name;
        this.vethHost = vethPrefix + "a"; // interface names: at most 15 characters
        this.vethInside = vethPrefix + "b";
    }

    /**
     * A namespace of a random name for a test class: skips the test (JUnit assumption) where
     * namespaces cannot be made (not Linux, not root, no iproute2), and is removed at JVM exit if
     * the test does not remove it. {@link #create()} is the caller's next step.
     */
    public static NetworkNamespace forTest(String namePrefix, String vethPrefix) {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "network namespaces are Linux only");
        assumeTrue(isRoot(), "network namespace tests need root (ip netns, veth)");
        assumeTrue(onPath("ip"), "no `ip` command (iproute2)");
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        NetworkNamespace namespace = new NetworkNamespace(namePrefix + suffix, vethPrefix + suffix);
        Runtime.getRuntime().addShutdownHook(new Thread(namespace::remove, namePrefix + "netns-cleanup"));
        return namespace;
    }

    public static boolean isRoot() {
        try {
            return run(List.of("id", "-u")).strip().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean onPath(String command) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        return dirs.stream().filter(d -> !d.isEmpty()).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    /** Builds the namespace and the link; skips the test if the kernel refuses namespaces. */
    public void create() throws IOException {
        pickFreeSubnet();
        try {
            run(List.of("ip", "netns", "add", name));
        } catch (IOException e) {
            assumeTrue(false, "the kernel refused a network namespace: " + e.getMessage());
        }
        created = true;
        run(List.of("ip", "link", "add", vethHost, "type", "veth", "peer", "name", vethInside));
        run(List.of("ip", "link", "set", vethInside, "netns", name));
        run(List.of("ip", "addr", "add", hostAddress + "/30", "dev", vethHost));
        run(List.of("ip", "link", "set", vethHost, "up"));
        inside("ip", "link", "set", "lo", "up");
        inside("ip", "addr", "add", targetAddress + "/30", "dev", vethInside);
        inside("ip", "link", "set", vethInside, "up");
    }

    /**
     * Adds IPv6 to the link: a random /64 of the unique-local range fd70:7077::/32 (never routed
     * beyond a site), without duplicate address detection so the addresses work at once. Skips
     * the test (assumption) where IPv6 is disabled.
     */
    public void addIpv6() throws IOException {
        String prefix = "fd70:7077:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0x10000)) + "::";
        try {
            run(List.of("ip", "-6", "addr", "add", prefix + "1/64", "dev", vethHost, "nodad"));
            inside("ip", "-6", "addr", "add", prefix + "2/64", "dev", vethInside, "nodad");
        } catch (IOException e) {
            assumeTrue(false, "IPv6 is not available: " + e.getMessage());
        }
        targetAddress6 = prefix + "2";
    }

    /** The namespace's IPv6 address, after {@link #addIpv6()}. */
    public InetAddress targetAddress6() {
        if (targetAddress6 == null) {
            throw new IllegalStateException("addIpv6() first");
        }
        return literal(targetAddress6);
    }

    /**
     * Starts a long-running process inside the namespace (a test's service) and waits, at most
     * {@value #COMMAND_SECONDS} s, for the first line of its output to be {@code ready}. The process
     * is destroyed by {@link #remove()}.
     */
    public Process startInside(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        synchronized (started) {
            started.add(process);
        }
        var output = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var firstLine = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return output.readLine();
            } catch (IOException e) {
                return "read failed: " + e.getMessage();
            }
        });
        try {
            String line = firstLine.get(COMMAND_SECONDS, TimeUnit.SECONDS);
            if (!"ready".equals(line)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not start: " + line);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", full) + ": not ready within " + COMMAND_SECONDS + " s", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", full), e);
        }
        return process;
    }

    /** Loads an nft ruleset inside the namespace. */
    public void nft(String ruleset) throws IOException {
        Path file = Files.createTempFile("pw-test-nft", ".conf");
        try {
            Files.writeString(file, ruleset);
            inside("nft", "-f", file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Policy-routing rules inside the namespace, consulted before local delivery (the local table
     * moves behind them). {@code prohibit} makes the kernel answer with ICMP admin-prohibited,
     * which it only sends when forwarding is on — in this namespace only.
     */
    public void policyRules(String... selectorsAndActions) throws IOException {
        inside("sysctl", "-qw", "net.ipv4.conf.all.forwarding=1");
        int preference = 10;
        for (String rule : selectorsAndActions) {
            List<String> command = new ArrayList<>(List.of("ip", "rule", "add", "pref", Integer.toString(preference++)));
            command.addAll(List.of(rule.split(" ")));
            inside(command.toArray(String[]::new));
        }
        inside("ip", "rule", "add", "pref", "100", "lookup", "local");
        inside("ip", "rule", "del", "pref", "0");
    }

    /** The root namespace's end of the link: how a process inside reaches one outside. */
    public InetAddress hostAddress() {
        return literal(hostAddress);
    }

    /** The namespace's name, for {@code ip netns exec NAME ...}. */
    public String name() {
        return name;
    }

    public InetAddress targetAddress() {
        return literal(targetAddress);
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deleting the namespace destroys its end of the veth pair, and with it the pair. */
    public void remove() {
        if (!created) {
            return;
        }
        created = false;
        synchronized (started) {
            started.forEach(Process::destroyForcibly);
            started.clear();
        }
        for (List<String> command : List.of(List.of("ip", "link", "del", vethHost), List.of("ip", "netns", "del", name))) {
            try {
                run(command);
            } catch (IOException e) {
                // Already gone (the link goes with the namespace); nothing else to undo.
            }
        }
    }

    private void pickFreeSubnet() throws IOException {
        String inUse = run(List.of("ip", "-o", "-4", "addr", "show"));
        for (int attempt = 0; attempt < 20; attempt++) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String prefix = "198." + (18 + random.nextInt(2)) + "." + random.nextInt(256) + ".";
            if (!inUse.contains(" " + prefix)) {
                int base = 4 * random.nextInt(64);
                hostAddress = prefix + (base + 1);
                targetAddress = prefix + (base + 2);
                return;
            }
        }
        throw new IOException("no free /30 found in 198.18.0.0/15");
    }

    /** A kernel setting as the namespace sees it (many, such as net.ipv4.icmp_ratelimit, are per namespace). */
    public String sysctl(String key) throws IOException {
        return inside("sysctl", "-n", key).strip();
    }

    /** Runs a command inside the namespace and returns its output; fails on a non-zero exit. */
    public String inside(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full);
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no exit within " + COMMAND_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.strip());
        }
        return output;
    }
}
