package io.portwatch.collector.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The configured notifiers by name, built and validated once at startup: a notifier missing a key
 * its type needs stops the collector with the key's name, instead of failing every delivery later.
 */
@Startup
@ApplicationScoped
public class Notifiers {

    private final Map<String, Notifier> byName = new TreeMap<>();
    private final Optional<List<String>> defaultChannels;

    Notifiers(NotifierSettings settings, ObjectMapper json, Instance<ReactiveMailer> mailer) {
        List<String> errors = new ArrayList<>();
        settings.notifiers().forEach((name, config) -> {
            try {
                byName.put(name, build(name, config, json, mailer));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        });
        defaultChannels = settings.outbox().defaultChannels();
        defaultChannels.ifPresent(list -> list.stream().filter(c -> !byName.containsKey(c)).forEach(c -> errors.add(
                "portwatch.outbox.default-channels names \"" + c + "\", which is not a configured notifier")));
        if (!errors.isEmpty()) {
            throw new IllegalStateException("invalid notifier configuration: " + String.join("; ", errors));
        }
    }

    public Optional<Notifier> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Notifier> all() {
        return byName.values();
    }

    /** The channels a notification goes to: its own, or the defaults when its rule names none. */
    public List<String> channelsOf(AlertNotification n) {
        if (!n.channels().isEmpty()) return n.channels();
        return defaultChannels.orElseGet(() -> List.copyOf(byName.keySet()));
    }

    private static Notifier build(String name, NotifierSettings.Notifier c, ObjectMapper json, Instance<ReactiveMailer> mailer) {
        return switch (c.type()) {
            case WEBHOOK -> new WebhookNotifier(name, httpUrl(name, c), c.secret(), poster(c), json);
            case SLACK -> new SlackNotifier(name, httpUrl(name, c), poster(c), json);
            case ALERTMANAGER -> new AlertmanagerNotifier(name, httpUrl(name, c), c.generatorUrl(), poster(c), json);
            case EMAIL -> {
                List<String> to = c.to().orElse(List.of());
                if (to.isEmpty()) throw new IllegalArgumentException(key(name, "to") + " is required for type email");
                yield new EmailNotifier(name, c.from(), to, c.timeout(), mailer.get());
            }
        };
    }

    private static URI httpUrl(String name, NotifierSettings.Notifier c) {
        URI url = c.url().orElseThrow(() -> new IllegalArgumentException(
                key(name, "url") + " is required for type " + c.type().name().toLowerCase(java.util.Locale.ROOT)));
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException(key(name, "url") + " must be an absolute http:// or https:// URL");
        }
        return url;
    }

    private static HttpPoster poster(NotifierSettings.Notifier c) {
        return new HttpPoster(c.connectTimeout(), c.timeout());
    }

    private static String key(String name, String property) {
        return "portwatch.notifiers.\"" + name + "\"." + property;
    }
}
