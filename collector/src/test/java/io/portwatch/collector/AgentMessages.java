package io.portwatch.collector;

import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CheckCatalog;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.Hello;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.portwatch.proto.v1.ResultBatch;
import java.util.List;

/** Builders for the messages an agent sends, to keep tests readable. */
public final class AgentMessages {

    private AgentMessages() {}

    public static AgentMessage hello(String agentId) {
        return AgentMessage.newBuilder()
                .setHello(Hello.newBuilder().setAgentId(agentId).setHost(agentId + ".test").setVersion("test")
                        .putLabels("site", "lab"))
                .build();
    }

    public static CheckInstance instance(String name, String target, Protocol proto, int port, Expectation expect) {
        return CheckInstance.newBuilder()
                .setKey(name + "|" + target + "|" + proto.name().toLowerCase() + "|" + port)
                .setCheckName(name).setTarget(target).setProto(proto).setPort(port).setExpect(expect)
                .setIntervalMs(10_000).setTimeoutMs(1_000)
                .build();
    }

    public static AgentMessage catalog(String hash, List<CheckInstance> instances) {
        return AgentMessage.newBuilder()
                .setCatalog(CheckCatalog.newBuilder().setConfigHash(hash).addAllInstances(instances))
                .build();
    }

    public static ProbeResult result(CheckInstance instance, PortState state, Reason reason, long observedAtMs) {
        return ProbeResult.newBuilder()
                .setInstanceKey(instance.getKey()).setState(state).setReason(reason)
                .setAddress("127.0.0.1").setLatencyMicros(1_500).setObservedAtMs(observedAtMs)
                .build();
    }

    public static AgentMessage batch(long seq, List<ProbeResult> results) {
        return AgentMessage.newBuilder()
                .setBatch(ResultBatch.newBuilder().setSeq(seq).addAllResults(results))
                .build();
    }
}
