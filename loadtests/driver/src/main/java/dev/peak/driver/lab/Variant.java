package dev.peak.driver.lab;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the lab brings up: one side of the comparison for one reference implementation (DESIGN §1, §4). */
public enum Variant {
    /** RI1 through PEAK: clients resolve a.peak.test at peak-dns and connect to the server it names. */
    RI1_PEAK("ri1-peak", Entry.DNS, false),
    /** RI1's traditional side: HAProxy as the reverse proxy. */
    RI1_HAPROXY("ri1-haproxy", Entry.HAPROXY, false),
    /** RI1's traditional side: nginx as the reverse proxy. */
    RI1_NGINX("ri1-nginx", Entry.NGINX, false),
    /** RI2 through PEAK: a token from A, then calls straight to B, both found through peak-dns. */
    RI2_PEAK("ri2-peak", Entry.DNS, true),
    /** RI2's traditional side: ingress → sidecar(A) → A → sidecar(A) → mTLS → sidecar(B) → B. */
    RI2_MESH("ri2-mesh", Entry.MESH_INGRESS, true);

    /** What clients talk to first. */
    public enum Entry { DNS, HAPROXY, NGINX, MESH_INGRESS }

    private final String id;
    private final Entry entry;
    private final boolean withB;

    Variant(String id, Entry entry, boolean withB) {
        this.id = id;
        this.entry = entry;
        this.withB = withB;
    }

    public String id() {
        return id;
    }

    public Entry entry() {
        return entry;
    }

    /** RI2 variants run service-b beside service-a, one B per A. */
    public boolean withB() {
        return withB;
    }

    public boolean usesDns() {
        return entry == Entry.DNS;
    }

    /** The variant named {@code id}, e.g. {@code ri1-haproxy}; the error lists the valid names. */
    public static Variant of(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + id + "': use one of "
                        + Arrays.stream(values()).map(Variant::id).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return id;
    }
}
