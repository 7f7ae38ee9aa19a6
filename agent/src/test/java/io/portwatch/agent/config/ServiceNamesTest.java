package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.core.check.Protocol;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceNamesTest {

    private static final ServiceNames SERVICES = ServiceNames.load();

    private static List<Integer> ports(String list) {
        return list.equals("-") ? List.of() : Arrays.stream(list.split(" ")).map(Integer::valueOf).toList();
    }

    @ParameterizedTest(name = "{0}: tcp {1}, udp {2}")
    @CsvSource({
        "ssh, 22, -", "https, 443, 443", "dns, 53, 53", "domain, 53, 53", "ntp, -, 123", "snmp, -, 161",
        "smtp, 25, -", "imaps, 993, -", "postgresql, 5432, -", "mysql, 3306, -", "redis, 6379, -",
        "mssql, 1433, -", "oracle, 1521, -", "nfs, 2049, 2049", "etcd, 2379, -", "rdp, 3389, 3389",
        "amqp, 5672, -", "kubernetes-api, 6443, -", "http-alt, 8080, -", "https-alt, 8443, -",
        "prometheus, 9090, -", "kafka, 9092, -", "elasticsearch, 9200, -", "memcached, 11211, 11211",
        "mongodb, 27017, -", "syslog, -, 514", "shell, 514, -", "salt, 4505 4506, -", "SSH, 22, -",
    })
    void knowsTheCommonServices(String name, String tcp, String udp) {
        ServiceNames.Service service = SERVICES.find(name).orElseThrow();

        assertEquals(ports(tcp), service.ports(Protocol.TCP));
        assertEquals(ports(udp), service.ports(Protocol.UDP));
    }

    @Test
    void tableHasAFewHundredServicesCoveringTheWellKnownPorts() {
        List<ServiceNames.Service> all = SERVICES.all();

        assertTrue(all.size() >= 150 && all.size() <= 250, all.size() + " services");
        long wellKnown = all.stream().filter(s -> s.tcp().stream().anyMatch(p -> p < 1024)
                || s.udp().stream().anyMatch(p -> p < 1024)).count();
        assertTrue(wellKnown >= 80, wellKnown + " services on well-known ports");
    }

    @Test
    void describesWhereAServiceRuns() {
        assertEquals("udp/123", SERVICES.find("ntp").orElseThrow().describe(Protocol.UDP));
        assertEquals("tcp/4505,4506", SERVICES.find("salt").orElseThrow().describe(Protocol.TCP));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "ssh\\t22\\t-\\nssh\\t22\\t-          | services.tsv line 2: ssh is listed twice",
        "ssh\\t-\\t-                       | services.tsv line 1: ssh has no port",
        "ssh\\t70000\\t-                   | services.tsv line 1: invalid port \"70000\"",
        "ssh\\t22                         | services.tsv line 1: expected name<TAB>tcp ports<TAB>udp ports",
        "SSH\\t22\\t-                      | services.tsv line 1: expected name<TAB>tcp ports<TAB>udp ports",
    })
    void brokenTableIsRefusedWithTheLine(String table, String message) {
        String unescaped = table.replace("\\t", "\t").replace("\\n", "\n");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ServiceNames.parse(unescaped));
        assertEquals(message, e.getMessage());
    }
}
