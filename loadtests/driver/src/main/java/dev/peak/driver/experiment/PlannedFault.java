package dev.peak.driver.experiment;

import dev.peak.driver.variant.Client;
import dev.peak.driver.variant.FaultKind;

/** One fault run of the plan: the fault, and the clients that live through it. */
record PlannedFault(FaultKind kind, Client client) {

    /** {@code kill-server}, or {@code kill-server-peak-client}: folder names and the lab's run names. */
    String name() {
        return client == Client.GATLING ? kind.id() : kind.id() + "-" + client.id();
    }

    @Override
    public String toString() {
        return client == Client.GATLING ? kind.id() : kind.id() + " with " + client.id();
    }
}
