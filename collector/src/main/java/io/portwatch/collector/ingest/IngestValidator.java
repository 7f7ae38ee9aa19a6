package io.portwatch.collector.ingest;

import io.portwatch.collector.input.InputLimits;
import io.portwatch.proto.v1.CheckCatalog;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Hello;
import io.portwatch.proto.v1.ListeningInventory;
import io.portwatch.proto.v1.ListeningSocket;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.ResultBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks every string and count of an agent's message against {@link InputLimits} before any of
 * it reaches the database. A message that breaks one is refused whole with a
 * {@link ProtocolViolation} naming the field, such as
 * {@code catalog.instances[3].target: 300 characters, at most 253}; what the agent sent before it
 * stays stored.
 */
@ApplicationScoped
class IngestValidator {

    private static final int MAX_PORT = 65_535;

    private final InputLimits limits;

    IngestValidator(InputLimits limits) {
        this.limits = limits;
    }

    void hello(Hello hello) {
        refuse(limits.name("hello.agent_id", hello.getAgentId()));
        refuse(limits.host("hello.host", hello.getHost()));
        refuse(limits.name("hello.version", hello.getVersion()));
        refuse(limits.labels("hello.labels", hello.getLabelsMap()));
    }

    /**
     * Why a listening inventory is not stored (the first rule it breaks), or null. It is not a
     * protocol violation: the stream and its results go on without it.
     */
    String listening(ListeningInventory inventory) {
        int max = limits.values().listeningSockets();
        String rule = InputLimits.count("listening.sockets", inventory.getSocketsCount(), max);
        if (rule == null) {
            rule = InputLimits.count("listening.host_addresses", inventory.getHostAddressesCount(), Math.max(16, max / 16));
        }
        for (int i = 0; rule == null && i < inventory.getHostAddressesCount(); i++) {
            rule = addressLength("listening.host_addresses[" + i + "]", inventory.getHostAddresses(i).size());
        }
        for (int i = 0; rule == null && i < inventory.getSocketsCount(); i++) {
            ListeningSocket s = inventory.getSockets(i);
            String field = "listening.sockets[" + i + "]";
            if (s.getProto() != Protocol.TCP && s.getProto() != Protocol.UDP) {
                rule = field + ".proto: must be TCP or UDP";
            } else if (Integer.compareUnsigned(s.getPort(), MAX_PORT) > 0) { // uint32: above 2^31 it reads negative
                rule = field + ".port: " + Integer.toUnsignedString(s.getPort()) + " is outside 0-65535";
            } else if (s.getPid() < 0 || s.getPid() > Integer.MAX_VALUE) {
                rule = field + ".pid: " + Long.toUnsignedString(s.getPid()) + " is outside 0-" + Integer.MAX_VALUE;
            } else {
                rule = addressLength(field + ".address", s.getAddress().size());
                if (rule == null) {
                    rule = limits.name(field + ".command", s.getCommand());
                }
            }
        }
        return rule;
    }

    private static String addressLength(String field, int bytes) {
        return bytes == 4 || bytes == 16 ? null : field + ": " + bytes + " bytes, expected 4 (IPv4) or 16 (IPv6)";
    }

    void catalog(CheckCatalog catalog) {
        refuse(limits.name("catalog.config_hash", catalog.getConfigHash()));
        refuse(InputLimits.count("catalog.instances", catalog.getInstancesCount(),
                limits.values().instancesPerCatalog()));
        // Two rows for one key would make the catalog's upsert touch a row twice, which PostgreSQL refuses.
        Map<String, Integer> firstByKey = new HashMap<>();
        for (int i = 0; i < catalog.getInstancesCount(); i++) {
            CheckInstance ci = catalog.getInstances(i);
            String field = "catalog.instances[" + i + "]";
            refuse(limits.instanceKey(field + ".key", ci.getKey()));
            try {
                InstanceKey.validate(ci.getKey());
            } catch (ProtocolViolation e) {
                throw new ProtocolViolation(field + ".key: " + e.getMessage());
            }
            Integer first = firstByKey.putIfAbsent(ci.getKey(), i);
            if (first != null) {
                throw new ProtocolViolation(field + ".key: the same key as catalog.instances[" + first + "]");
            }
            refuse(limits.name(field + ".check_name", ci.getCheckName()));
            refuse(limits.host(field + ".target", ci.getTarget()));
            if (ci.getProto() != Protocol.TCP && ci.getProto() != Protocol.UDP) {
                throw new ProtocolViolation(field + ".proto: expected TCP or UDP, not " + ci.getProto());
            }
            // uint32 fields arrive as Java ints: above 2^31-1 they are negative.
            if (Integer.compareUnsigned(ci.getPort(), MAX_PORT) > 0) {
                throw new ProtocolViolation(field + ".port: " + Integer.toUnsignedString(ci.getPort())
                        + ", at most " + MAX_PORT);
            }
            positiveInt(field + ".interval_ms", ci.getIntervalMs());
            positiveInt(field + ".timeout_ms", ci.getTimeoutMs());
            refuse(limits.labels(field + ".labels", ci.getLabelsMap()));
        }
    }

    /**
     * Only strings and counts: a result that is well-formed but cannot be stored (no state, a
     * malformed key, a time outside what is kept) is skipped and logged by the writer instead.
     */
    void batch(ResultBatch batch) {
        String field = field(batch);
        refuse(InputLimits.count(field + ".results", batch.getResultsCount(), limits.values().resultsPerBatch()));
        for (int i = 0; i < batch.getResultsCount(); i++) {
            ProbeResult r = batch.getResults(i);
            String at = field + ".results[" + i + "]";
            refuse(limits.instanceKey(at + ".instance_key", r.getInstanceKey()));
            refuse(limits.host(at + ".address", r.getAddress()));
            refuse(limits.text(at + ".detail", r.getDetail()));
        }
    }

    /** How a refusal names a batch: {@code batch(seq 17)}. */
    static String field(ResultBatch batch) {
        return "batch(seq " + Long.toUnsignedString(batch.getSeq()) + ")";
    }

    private static void positiveInt(String field, int value) {
        if (value < 0) {
            throw new ProtocolViolation(field + ": " + Integer.toUnsignedString(value) + ", at most " + Integer.MAX_VALUE);
        }
    }

    private static void refuse(String violation) {
        if (violation != null) {
            throw new ProtocolViolation(violation);
        }
    }
}
