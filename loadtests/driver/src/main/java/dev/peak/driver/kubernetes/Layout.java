package dev.peak.driver.kubernetes;

import java.util.List;

import dev.peak.driver.variant.Variant;

/**
 * Where a variant lives on the cluster ({@link Variant#cluster()}), and what clients reach first there: the driver
 * scales and kills what is deployed, it never applies manifests.
 *
 * @param namespace  where the servers run (and the generator Jobs, with {@code --load-in-cluster})
 * @param servers    the Deployments scaled to the experiment's server count: service-a, and service-b in RI2
 * @param balancer   what spreads the clients over the servers
 * @param deployWith the command that deploys the variant
 */
record Layout(Variant variant, String namespace, List<String> servers, BalancerKind balancer, String deployWith) {

    static final String SERVICE_A = Variant.Cluster.SERVICE_A;
    static final String SERVICE_B = Variant.Cluster.SERVICE_B;

    /** What clients reach first: peak-dns (PEAK), the proxy Deployment (RI1 counterparts) or Istio's ingress gateway. */
    enum BalancerKind { PEAK_DNS, PROXY, INGRESS_GATEWAY }

    static Layout of(Variant variant) {
        Variant.Cluster cluster = variant.cluster().orElseThrow(() -> new IllegalArgumentException(variant + " is not "
                + "supported on Kubernetes (it is the lab's physical limit, clients addressing the instances themselves): "
                + "leave it out of --variants, or measure it with --platform local"));
        BalancerKind balancer = switch (variant.entry()) {
            case DNS -> BalancerKind.PEAK_DNS;
            case HAPROXY, NGINX -> BalancerKind.PROXY;
            case MESH -> BalancerKind.INGRESS_GATEWAY;
            case DIRECT -> throw new IllegalStateException("unreachable: " + variant + " has no cluster layout");
        };
        return new Layout(variant, cluster.namespace(), cluster.servers(), balancer, cluster.deployWith());
    }

    /** The proxy an RI1 counterpart needs, as Deployment proxy's label peak.dev/proxy names it. */
    String proxyKind() {
        return variant.entry() == Variant.Entry.NGINX ? "nginx" : "haproxy";
    }
}
