package io.portwatch.agent.config;

import io.portwatch.core.yaml.YamlError;
import java.util.List;

/**
 * The outcome of reading a check directory: a valid configuration, or every error found. Both
 * carry the {@link DirectoryDigest} of what was read (null when the directory itself could not be
 * listed), so that the next scan can tell whether anything changed.
 */
public sealed interface ConfigLoad {

    DirectoryDigest digest();

    record Loaded(CheckConfig config, DirectoryDigest digest) implements ConfigLoad {}

    record Invalid(List<YamlError> errors, DirectoryDigest digest) implements ConfigLoad {
        public Invalid {
            errors = errors.stream().sorted().toList();
        }
    }
}
