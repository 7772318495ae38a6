package dev.peak.driver.lab;

/** The mesh's workload identities: one certificate each, as Istio gives one per service account. */
final class MeshIdentity {

    static final String INGRESS = "ingress";
    static final String A = "service-a";
    static final String B = "service-b";

    private MeshIdentity() {
    }
}
