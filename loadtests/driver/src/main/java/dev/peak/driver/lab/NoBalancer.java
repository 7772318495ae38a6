package dev.peak.driver.lab;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import dev.peak.driver.variant.HealthChecks;

/** RI1 direct: the clients call A's first instance; nothing balances, which is the baseline's point. */
final class NoBalancer implements Balancer {

    @Override
    public void start() {
    }

    @Override
    public void reconfigure(int previous) {
    }

    @Override
    public Optional<String> proxy() {
        return Optional.empty();
    }

    @Override
    public String entry() {
        return Lab.url(Addresses.service('a', 1), Addresses.SERVICE_PORT);
    }

    @Override
    public List<URI> readinessChecks() {
        return List.of(URI.create(entry() + HealthChecks.PATH));
    }
}
