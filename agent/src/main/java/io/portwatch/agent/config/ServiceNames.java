package io.portwatch.agent.config;

import io.portwatch.core.check.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Well-known service names ({@code ssh}, {@code dns}, {@code postgresql}, …) and their ports per
 * protocol, from the table {@code services.tsv} shipped beside this class. Names are matched
 * without regard to case.
 */
public final class ServiceNames {

    static final String RESOURCE = "services.tsv";

    /** IANA service names (RFC 6335): letters, digits and inner hyphens. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    /** A service and its ports; a list is empty where the service does not run on that protocol. */
    public record Service(String name, List<Integer> tcp, List<Integer> udp) {

        public Service {
            tcp = List.copyOf(tcp);
            udp = List.copyOf(udp);
        }

        public List<Integer> ports(Protocol protocol) {
            return protocol == Protocol.TCP ? tcp : udp;
        }

        /** {@code udp/123}, {@code tcp/4505,4506}: where the service runs on {@code protocol}. */
        public String describe(Protocol protocol) {
            return protocol.id() + "/" + ports(protocol).stream().map(String::valueOf).collect(Collectors.joining(","));
        }
    }

    private final Map<String, Service> byName;

    private ServiceNames(Map<String, Service> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** The table shipped with the agent; a broken table is a packaging bug, hence unchecked. */
    public static ServiceNames load() {
        try (InputStream in = ServiceNames.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Parses the table format: {@code name<TAB>tcp ports<TAB>udp ports}, {@code #} comments. */
    static ServiceNames parse(String table) {
        Map<String, Service> byName = new LinkedHashMap<>();
        String[] lines = table.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = RESOURCE + " line " + (i + 1) + ": ";
            String[] columns = line.split("\t");
            if (columns.length != 3 || !NAME.matcher(columns[0]).matches()) {
                throw new IllegalStateException(where + "expected name<TAB>tcp ports<TAB>udp ports");
            }
            Service service = new Service(columns[0], ports(where, columns[1]), ports(where, columns[2]));
            if (service.tcp().isEmpty() && service.udp().isEmpty()) {
                throw new IllegalStateException(where + service.name() + " has no port");
            }
            if (byName.putIfAbsent(service.name(), service) != null) {
                throw new IllegalStateException(where + service.name() + " is listed twice");
            }
        }
        return new ServiceNames(byName);
    }

    private static List<Integer> ports(String where, String column) {
        List<Integer> ports = new ArrayList<>();
        if (column.equals("-")) {
            return ports;
        }
        for (String part : column.split(",")) {
            try {
                int port = Integer.parseInt(part);
                if (port < 0 || port > PortListParser.MAX_PORT) {
                    throw new NumberFormatException();
                }
                ports.add(port);
            } catch (NumberFormatException e) {
                throw new IllegalStateException(where + "invalid port \"" + part + "\"");
            }
        }
        return ports;
    }

    public Optional<Service> find(String name) {
        return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Every service, in table order. */
    public List<Service> all() {
        return List.copyOf(byName.values());
    }
}
