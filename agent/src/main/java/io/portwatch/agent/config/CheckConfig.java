package io.portwatch.agent.config;

import java.util.List;

/**
 * A valid configuration: every check instance of a directory, and a hash of the directory's
 * content that changes when any instance changes.
 */
public record CheckConfig(List<CheckInstance> instances, String hash, int files, int checks) {

    public CheckConfig {
        instances = List.copyOf(instances);
    }
}
