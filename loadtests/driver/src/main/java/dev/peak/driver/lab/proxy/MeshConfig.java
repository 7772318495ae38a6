package dev.peak.driver.lab.proxy;

import java.nio.file.Path;
import java.util.List;

import dev.peak.common.net.Hosts;

/**
 * HAProxy configurations for the mesh emulation (RI2's traditional counterpart), with Istio's data
 * path: ingress gateway → sidecar(A) → A → sidecar(A) → mutual TLS → sidecar(B) → B. Every hop is
 * the same tuned HAProxy as the RI1 proxy ({@link HaproxyConfig}); what Istio adds is emulated with
 * HAProxy's own features: STRICT mutual TLS with the lab CA's certificates, an authorization rule on
 * the caller's certificate, and least-connections balancing with active health checks.
 */
public final class MeshConfig {

    /** Istio's inbound capture port. */
    public static final int INBOUND_PORT = 15006;
    /** Istio's outbound capture port. */
    public static final int OUTBOUND_PORT = 15001;

    /** The gateway's identity, presented to A's sidecars. */
    static final String INGRESS_IDENTITY = "ingress";
    /** The service behind the gateway, whose certificate name the gateway verifies. */
    static final String ENTRY_IDENTITY = "service-a";
    /** Paths only the allowed callers may reach, as the mesh's AuthorizationPolicy on B. */
    static final String INTERNAL_PATH = "/internal";

    private MeshConfig() {
    }

    /**
     * The mesh ingress gateway: plain HTTP on listen, to A's sidecars' inbound ports over mutual TLS
     * (client certificate "ingress", server verified against the lab CA and as service-a), fewest
     * connections, health checks through the sidecars, connection reuse.
     */
    public static String ingress(Listen listen, List<Upstream> aSidecars, MeshCertificates certs, int threads,
                                 Path runDir) {
        HaproxyConfig.requireServers(aSidecars);
        StringBuilder cfg = HaproxyConfig.globalAndDefaults("mesh ingress gateway", threads, runDir);
        cfg.append("""

                frontend entry
                    bind %s
                    default_backend sidecars

                backend sidecars
                """.formatted(Hosts.hostPort(listen.address(), listen.port())));
        meshServers(cfg, aSidecars, INGRESS_IDENTITY, ENTRY_IDENTITY, certs);
        return cfg.toString();
    }

    /**
     * One sidecar beside one app instance: inbound mutual TLS on [address]:INBOUND_PORT to the app on
     * appPort (paths under /internal only for allowedCallers, when any); when outboundPeers is not empty,
     * plain HTTP on [address]:OUTBOUND_PORT to the peers' sidecars over mutual TLS, verified as
     * peerIdentity.
     */
    public static String sidecar(String identity, String address, int appPort, List<String> allowedCallers,
                                 String peerIdentity, List<Upstream> outboundPeers, MeshCertificates certs,
                                 int threads, Path runDir) {
        ConfigValues.requireBareIpv6(address);
        ConfigValues.requirePort(appPort);
        allowedCallers.forEach(MeshCertificates::requireIdentity);
        String app = Hosts.hostPort(address, appPort);
        StringBuilder cfg = HaproxyConfig.globalAndDefaults("mesh sidecar of " + identity + " at " + app, threads,
                runDir);
        cfg.append("""

                frontend inbound
                    # STRICT mutual TLS, as PeerAuthentication STRICT: no handshake without a certificate signed by the
                    # lab CA (5.1 ssl, crt, ca-file, verify required)
                    bind %s ssl crt %s ca-file %s verify required
                """.formatted(Hosts.hostPort(address, INBOUND_PORT), ConfigValues.path(certs.bundle(identity)),
                ConfigValues.path(certs.caFile())));
        if (!allowedCallers.isEmpty()) {
            cfg.append("""
                        # AuthorizationPolicy: only %2$s may call paths under %1$s (403 for others). Matched anywhere in
                        # the decoded path, not as a raw prefix: the app (Vert.x) decodes and normalises the path before
                        # routing, and HAProxy 2.6's normalize-uri is experimental (4.2 http-request deny; 7.3.1 url_dec;
                        # 7.3.4 ssl_c_s_dn)
                        http-request deny if { path,url_dec -m sub %1$s } !{ ssl_c_s_dn(CN) -m str %3$s }
                    """.formatted(INTERNAL_PATH, String.join(", ", allowedCallers), String.join(" ", allowedCallers)));
        }
        cfg.append("""
                    default_backend app

                # The app beside the sidecar, over the reused connections of the defaults. Not health-checked, as
                # Istio's sidecar does not check its own app: the callers' checks through this sidecar do
                backend app
                    server app %s
                """.formatted(app));
        if (!outboundPeers.isEmpty()) {
            MeshCertificates.requireIdentity(peerIdentity);
            cfg.append("""

                    # The app calls its peers at http://%s
                    frontend outbound
                        bind %s
                        default_backend peers

                    backend peers
                    """.formatted(Hosts.hostPort(address, OUTBOUND_PORT),
                    Hosts.hostPort(address, OUTBOUND_PORT)));
            meshServers(cfg, outboundPeers, identity, peerIdentity, certs);
        }
        return cfg.toString();
    }

    /** Servers reached over mutual TLS as clientIdentity, each verified as serverIdentity by the lab CA. */
    private static void meshServers(StringBuilder cfg, List<Upstream> servers, String clientIdentity,
                                    String serverIdentity, MeshCertificates certs) {
        String serverName = MeshCertificates.dnsName(serverIdentity);
        HaproxyConfig.balanceAndChecks(cfg, BalancePolicy.LEAST_CONNECTIONS, "Istio's default LEAST_REQUEST", serverName);
        cfg.append("""
                    # Mutual TLS to the sidecars, checks included: %s's certificate, the server verified by the lab CA
                    # as %s. No SNI, so any idle connection may carry any request (5.2 ssl, verify, ca-file, crt,
                    # verifyhost)
                    default-server ssl verify required ca-file %s crt %s verifyhost %s
                """.formatted(clientIdentity, serverName, ConfigValues.path(certs.caFile()),
                ConfigValues.path(certs.bundle(clientIdentity)), serverName));
        HaproxyConfig.serverLines(cfg, servers);
    }
}
