package io.portwatch.collector.security;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.Locale;

/**
 * Refuses the placeholders that the shipped examples (.env.example, the k8s dev secrets) hold
 * instead of credentials: a copy left unchanged would start a collector whose admin key or ingest
 * token anyone can read in this repository.
 */
final class Placeholders {

    static final String MARK = "change-me";

    private Placeholders() {}

    /** Fails the start when {@code value} of {@code setting} is still a placeholder; never quotes the value. */
    static void refuse(String setting, String value) {
        if (value != null && value.toLowerCase(Locale.ROOT).contains(MARK)) {
            throw new ConfigurationException(setting + " still holds the \"" + MARK + "\" placeholder of the examples:"
                    + " set a secret of your own (docs/security.md)");
        }
    }
}
