package io.portwatch.agent.config;

import java.util.List;

/** The outcome of reading a check directory: a valid configuration, or every error found. */
public sealed interface ConfigLoad {

    record Loaded(CheckConfig config) implements ConfigLoad {}

    record Invalid(List<ConfigError> errors) implements ConfigLoad {
        public Invalid {
            errors = errors.stream().sorted().toList();
        }
    }
}
