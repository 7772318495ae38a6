package dev.peak.driver.results;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The variants the report knows: their order in tables and charts, their names for readers, their pairing. */
final class Variants {

    static final String RI1_DIRECT = "ri1-direct";
    static final String RI1_PEAK = "ri1-peak";
    static final String RI1_HAPROXY = "ri1-haproxy";
    static final String RI1_NGINX = "ri1-nginx";
    static final String RI2_PEAK = "ri2-peak";
    static final String RI2_MESH = "ri2-mesh";

    static final List<String> ORDER = List.of(RI1_DIRECT, RI1_PEAK, RI1_HAPROXY, RI1_NGINX, RI2_PEAK, RI2_MESH);

    /** Known variants in {@link #ORDER}, unknown ones after them by name. */
    static final Comparator<String> BY_ORDER = Comparator
            .comparingInt((String v) -> ORDER.contains(v) ? ORDER.indexOf(v) : ORDER.size())
            .thenComparing(Comparator.naturalOrder());

    private Variants() {
    }

    static boolean isRi2(String variant) {
        return variant.startsWith("ri2-");
    }

    /** The reader's name; the mesh is "sidecar emulation" unless the plan says it ran on Kubernetes (Istio). */
    static String label(String variant, Manifest manifest) {
        return switch (variant) {
            case RI1_DIRECT -> "RI1 direct (no balancer)";
            case RI1_PEAK -> "RI1 PEAK";
            case RI1_HAPROXY -> "RI1 HAProxy";
            case RI1_NGINX -> "RI1 nginx";
            case RI2_PEAK -> "RI2 PEAK";
            case RI2_MESH -> onKubernetes(manifest) ? "RI2 mesh (Istio)" : "RI2 mesh (sidecar emulation)";
            default -> variant;
        };
    }

    static boolean onKubernetes(Manifest manifest) {
        return manifest != null && "kubernetes".equals(String.valueOf(manifest.plan().get("platform")));
    }

    static Map<String, String> labels(Manifest manifest) {
        return ORDER.stream().collect(Collectors.toMap(v -> v, v -> label(v, manifest)));
    }
}
