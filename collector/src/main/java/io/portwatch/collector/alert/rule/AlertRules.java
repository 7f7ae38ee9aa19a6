package io.portwatch.collector.alert.rule;

import io.portwatch.collector.alert.AlertSettings;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rules in force: the configured ones (rules file or default) and those of the API. Readers get
 * an immutable {@link InForce} whose {@code version} changes with every change, so the engine can
 * cache which rules match a check and drop that cache when the rules change.
 */
@ApplicationScoped
public class AlertRules {

    /** Which change of the API's rules was refused, for the API to say so. */
    public enum Refusal { DUPLICATE_NAME, NOT_FOUND, CONFIGURED }

    public record InForce(long version, List<AlertRule> rules) {
        public Optional<AlertRule> byName(String name) {
            return rules.stream().filter(r -> r.name().equals(name)).findFirst();
        }
    }

    private final AlertRuleRepository repository;
    private final AlertSettings settings;
    private List<AlertRule> configured = List.of(AlertRule.DEFAULT);
    private volatile InForce current = new InForce(0, configured);
    private String stamp = "";

    AlertRules(AlertRuleRepository repository, AlertSettings settings) {
        this.repository = repository;
        this.settings = settings;
    }

    /** A broken rules file fails the start, listing every error. */
    void onStart(@Observes StartupEvent event) {
        configured = RulesFile.load(settings.rulesFile());
        Log.infof("alert rules: %d configured (%s)", configured.size(),
                configured.get(0).source() == RuleSource.DEFAULT ? "default rule, no " + settings.rulesFile()
                        : settings.rulesFile());
        reload();
    }

    public InForce inForce() {
        return current;
    }

    /** Re-reads the API's rules when another replica (or this one) changed them; cheap when nothing changed. */
    public synchronized boolean refresh() {
        if (repository.stamp().equals(stamp)) {
            return false;
        }
        reload();
        return true;
    }

    /** @return the refusal, or empty when created */
    public synchronized Optional<Refusal> create(AlertRule rule, Instant now) {
        if (isConfigured(rule.name())) return Optional.of(Refusal.DUPLICATE_NAME);
        if (!repository.insert(rule, now)) return Optional.of(Refusal.DUPLICATE_NAME);
        reload();
        return Optional.empty();
    }

    public synchronized Optional<Refusal> replace(AlertRule rule, Instant now) {
        if (isConfigured(rule.name())) return Optional.of(Refusal.CONFIGURED);
        if (!repository.replace(rule, now)) return Optional.of(Refusal.NOT_FOUND);
        reload();
        return Optional.empty();
    }

    public synchronized Optional<Refusal> delete(String name) {
        if (isConfigured(name)) return Optional.of(Refusal.CONFIGURED);
        if (!repository.delete(name)) return Optional.of(Refusal.NOT_FOUND);
        reload();
        return Optional.empty();
    }

    /** The rule of that name created through the API, locked in the caller's transaction (see the repository). */
    public Optional<AlertRule> lockStored(String name) {
        return repository.lock(name);
    }

    private boolean isConfigured(String name) {
        return configured.stream().anyMatch(r -> r.name().equals(name));
    }

    private void reload() {
        String newStamp = repository.stamp();
        List<AlertRule> all = new ArrayList<>(configured);
        for (AlertRule r : repository.all()) {
            if (isConfigured(r.name())) {
                // Stored before the rules file gained a rule of that name: the file wins.
                Log.warnf("alert rule %s of the API is shadowed by the configured rule of that name", r.name());
            } else {
                all.add(r);
            }
        }
        all.sort(Comparator.comparing(AlertRule::name));
        current = new InForce(current.version() + 1, List.copyOf(all));
        stamp = newStamp;
    }
}
