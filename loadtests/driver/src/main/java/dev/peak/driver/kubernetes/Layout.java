package dev.peak.driver.kubernetes;

import java.util.List;

import dev.peak.driver.experiment.BenchVariant;

/**
 * Where a variant lives on the cluster, by the names k8s/ and mesh-variant/ give it, and the make target that
 * deploys it: the driver scales and kills what is deployed, it never applies manifests.
 *
 * @param namespace  where the servers run (and the generator Jobs, with {@code --load-in-cluster})
 * @param servers    the Deployments scaled to the experiment's server count: service-a, and service-b in RI2
 * @param balancer   what spreads the clients over the servers
 * @param deployWith the command that deploys the variant
 */
record Layout(BenchVariant variant, String namespace, List<String> servers, Balancer balancer, String deployWith) {

    static final String SERVICE_A = "service-a";
    static final String SERVICE_B = "service-b";

    /** What clients reach first: peak-dns (PEAK), the proxy Deployment (RI1 counterparts) or Istio's ingress gateway. */
    enum Balancer { PEAK_DNS, PROXY, INGRESS_GATEWAY }

    static Layout of(BenchVariant variant) {
        return switch (variant) {
            case RI1_PEAK -> new Layout(variant, "peak", List.of(SERVICE_A), Balancer.PEAK_DNS, "make deploy-peak");
            case RI2_PEAK -> new Layout(variant, "peak", List.of(SERVICE_A, SERVICE_B), Balancer.PEAK_DNS, "make deploy-peak");
            case RI1_HAPROXY -> new Layout(variant, "peak-proxy", List.of(SERVICE_A), Balancer.PROXY, "make deploy-proxy");
            case RI1_NGINX -> new Layout(variant, "peak-proxy", List.of(SERVICE_A), Balancer.PROXY,
                    "make deploy-proxy PROXY=nginx");
            case RI2_MESH -> new Layout(variant, "peak-mesh", List.of(SERVICE_A, SERVICE_B), Balancer.INGRESS_GATEWAY,
                    "make deploy-mesh");
            case RI1_DIRECT -> throw new IllegalArgumentException("ri1-direct is not supported on Kubernetes (it is the "
                    + "lab's physical limit, clients addressing the instances themselves): leave it out of --variants, "
                    + "or measure it with --platform local");
        };
    }

    /** The variants a cluster can run: all but ri1-direct. */
    static boolean exists(BenchVariant variant) {
        return variant != BenchVariant.RI1_DIRECT;
    }

    /** The proxy an RI1 counterpart needs, as Deployment proxy's label peak.dev/proxy names it. */
    String proxyKind() {
        return variant == BenchVariant.RI1_NGINX ? "nginx" : "haproxy";
    }
}
