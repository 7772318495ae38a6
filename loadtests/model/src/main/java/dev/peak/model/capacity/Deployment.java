package dev.peak.model.capacity;

import dev.peak.model.Architecture;

/**
 * One variant deployed at one size, with the CPU each kind of instance is granted.
 *
 * @param servers              instances of each service (A, and B when there is one)
 * @param dnsReplicas          peak-dns replicas; 0: as many as the load needs
 * @param serverCpus           CPUs of one service instance
 * @param sidecarCpus          CPUs of one sidecar
 * @param dnsCpus              CPUs of one peak-dns replica
 * @param proxyCpus            CPUs of the one reverse proxy, or of the mesh's one ingress gateway: P
 * @param dnsQueriesPerRequest DNS queries per primary request: 1 / (requests a client makes within one TTL), per name
 *                             it resolves
 */
public record Deployment(Architecture architecture, boolean withB, int servers, int dnsReplicas, double serverCpus,
                         double sidecarCpus, double dnsCpus, double proxyCpus, double dnsQueriesPerRequest) {

    public Deployment {
        if (servers < 1) {
            throw new IllegalArgumentException("a deployment needs at least one server, not " + servers);
        }
        if (dnsReplicas < 0) {
            throw new IllegalArgumentException("dnsReplicas must be >= 0 (0: as many as needed), not " + dnsReplicas);
        }
        for (double cpus : new double[] {serverCpus, sidecarCpus, dnsCpus, proxyCpus}) {
            if (!(cpus > 0) || Double.isInfinite(cpus)) {
                throw new IllegalArgumentException("every CPU budget must be > 0 and finite");
            }
        }
        if (!(dnsQueriesPerRequest >= 0)) {
            throw new IllegalArgumentException("dnsQueriesPerRequest must be >= 0");
        }
    }

    public Deployment withServers(int servers) {
        return new Deployment(architecture, withB, servers, dnsReplicas, serverCpus, sidecarCpus, dnsCpus, proxyCpus,
                dnsQueriesPerRequest);
    }

    public Deployment withDnsQueriesPerRequest(double queries) {
        return new Deployment(architecture, withB, servers, dnsReplicas, serverCpus, sidecarCpus, dnsCpus, proxyCpus,
                queries);
    }
}
