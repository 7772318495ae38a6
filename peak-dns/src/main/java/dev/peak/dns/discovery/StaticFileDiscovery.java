package dev.peak.dns.discovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.peak.dns.config.DnsConfig;
import dev.peak.dns.zone.ServiceSpec;
import dev.peak.dns.zone.Zone;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The {@code static} discovery source: the YAML file named by {@code peak.dns.static.file}, checked
 * for changes every {@code reload-interval} and applied whole. A file that does not parse leaves the
 * last good services in place and the reason in the log (and in {@link #problem()}).
 */
@ApplicationScoped
public class StaticFileDiscovery {

    public static final String SOURCE = "static";
    private static final Logger LOG = Logger.getLogger(StaticFileDiscovery.class);

    private final DnsConfig config;
    private final Zone zone;
    private final Vertx vertx;
    private long timer = -1;
    private final StaticFileParser parser;
    private byte[] lastContent;
    private volatile String problem;

    public StaticFileDiscovery(DnsConfig config, Zone zone, Vertx vertx) {
        this.config = config;
        this.zone = zone;
        this.vertx = vertx;
        this.parser = new StaticFileParser(config);
    }

    void start(@Observes @Priority(1) StartupEvent event) {
        if (!config.discovery().contains(SOURCE)) {
            return;
        }
        Path file = config.staticSource().file().orElseThrow(() -> new IllegalStateException(
                "discovery 'static' is on but peak.dns.static.file is not set: name the YAML file of services"));
        reload(file);
        // Poll rather than watch: Kubernetes updates a mounted ConfigMap by swapping a symlink,
        // which file watches miss; a stat per second costs nothing.
        timer = vertx.setPeriodic(config.staticSource().reloadInterval().toMillis(),
                id -> vertx.executeBlocking(() -> {
                    reload(file);
                    return null;
                }, false));
    }

    /** Why the file was last rejected, or null when the services in force come from its current content. */
    public String problem() {
        return problem;
    }

    synchronized void reload(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            // Forget the content: when the same file comes back it must be read again, or the problem stays.
            lastContent = null;
            report(file, "cannot read it: " + e);
            return;
        }
        if (lastContent != null && Arrays.equals(content, lastContent)) {
            return;
        }
        try {
            Map<String, ServiceSpec> specs = parser.parse(new String(content, StandardCharsets.UTF_8));
            zone.apply(SOURCE, specs);
            lastContent = content;
            problem = null;
            LOG.infof("loaded %s: %d services", file, specs.size());
        } catch (IllegalArgumentException e) {
            lastContent = content;
            report(file, e.getMessage());
        }
    }

    private void report(Path file, String reason) {
        if (!reason.equals(problem)) {
            LOG.errorf("%s rejected, %s: %s", file,
                    zone.hasReported(SOURCE) ? "keeping the services loaded before" : "no static services yet", reason);
        }
        problem = reason;
    }

    /** Stops the periodic work: a timer firing after shutdown would find the beans gone. */
    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
