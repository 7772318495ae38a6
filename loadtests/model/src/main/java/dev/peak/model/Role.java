package dev.peak.model;

import java.util.Arrays;
import java.util.Locale;

/** What spends CPU on a request, named as the lab's results name them. */
public enum Role {
    SERVICE_A(false),
    SERVICE_B(false),
    PROXY(true),
    INGRESS(true),
    SIDECAR(true),
    PEAK_DNS(true);

    private final boolean infrastructure;

    Role(boolean infrastructure) {
        this.infrastructure = infrastructure;
    }

    /** Whether the role is the balancing infrastructure (the tax), not a server doing the work. */
    public boolean infrastructure() {
        return infrastructure;
    }

    /** The name in results.json: {@code service-a}, {@code peak-dns}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The role named {@code label} in results.json; unknown names (the generator) are not roles of the system. */
    public static java.util.Optional<Role> ofLabel(String label) {
        return Arrays.stream(values()).filter(r -> r.label().equals(label)).findFirst();
    }
}
