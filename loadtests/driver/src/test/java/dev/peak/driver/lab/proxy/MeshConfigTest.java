package dev.peak.driver.lab.proxy;

import static dev.peak.driver.lab.proxy.HaproxyConfigTest.commentedAbove;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Lab addresses appear here only as text: nothing in these tests connects to them (docs/architecture.md: The local lab)
class MeshConfigTest {

    static final String A1 = "fd00:70ea::a:1";
    static final String B1 = "fd00:70ea::b:1";
    static final List<Upstream> A_SIDECARS = List.of(new Upstream("a-1", A1, MeshConfig.INBOUND_PORT),
            new Upstream("a-2", "fd00:70ea::a:2", MeshConfig.INBOUND_PORT));
    static final List<Upstream> B_SIDECARS = List.of(new Upstream("b-1", B1, MeshConfig.INBOUND_PORT),
            new Upstream("b-2", "fd00:70ea::b:2", MeshConfig.INBOUND_PORT));
    static final Path RUN_DIR = Path.of("/tmp/peak-lab/mesh");

    @TempDir
    static Path certDir;
    static MeshCertificates certs;

    @BeforeAll
    static void generateCertificates() {
        ProxySyntaxCheckTest.assumeInstalled("openssl");
        certs = MeshCertificates.generate(certDir, MeshCertificatesTest.IDENTITIES);
    }

    static String ingress() {
        return MeshConfig.ingress(HaproxyConfigTest.ENTRY, A_SIDECARS, certs, 2, RUN_DIR);
    }

    static String sidecarA() {
        return MeshConfig.sidecar("service-a", A1, 8080, List.of(), "service-b", B_SIDECARS, certs, 1, RUN_DIR);
    }

    static String sidecarB() {
        return MeshConfig.sidecar("service-b", B1, 8080, List.of("service-a"), null, List.of(), certs, 1, RUN_DIR);
    }

    @Test
    void inboundAdmitsOnlyClientsWithALabCertificate() {
        assertTrue(sidecarB().contains("\n    bind [" + B1 + "]:15006 ssl crt " + certs.bundle("service-b")
                + " ca-file " + certs.caFile() + " verify required\n"));
    }

    @Test
    void inboundForwardsToTheAppBesideIt() {
        assertTrue(sidecarB().contains("\nbackend app\n    server app [" + B1 + "]:8080\n"));
    }

    @Test
    void internalPathAdmitsOnlyAllowedCallers() {
        assertTrue(sidecarB().contains(
                "\n    http-request deny if { path,url_dec -m sub /internal } !{ ssl_c_s_dn(CN) -m str service-a }\n"));
    }

    @Test
    void everyAllowedCallerIsAdmitted() {
        String cfg = MeshConfig.sidecar("service-b", B1, 8080, List.of("service-a", "ingress"), null, List.of(),
                certs, 1, RUN_DIR);
        assertTrue(cfg.contains("!{ ssl_c_s_dn(CN) -m str service-a ingress }"));
    }

    @Test
    void noAuthorizationRuleWithoutAllowedCallers() {
        assertFalse(sidecarA().contains("http-request deny"));
    }

    @Test
    void outboundOnlyWhereThereArePeers() {
        assertFalse(sidecarB().contains("frontend outbound"));
        assertTrue(sidecarA().contains("\nfrontend outbound\n    bind [" + A1 + "]:15001\n"));
    }

    @Test
    void outboundPresentsItsIdentityAndVerifiesThePeersName() {
        assertTrue(sidecarA().contains("\n    default-server ssl verify required ca-file " + certs.caFile() + " crt "
                + certs.bundle("service-a") + " verifyhost service-b.mesh.peak.test\n"));
        assertTrue(sidecarA().contains("\n    server b-1 [" + B1 + "]:15006\n"));
    }

    @Test
    void ingressPresentsItsIdentityAndVerifiesServiceA() {
        String cfg = ingress();
        assertTrue(cfg.contains("\n    bind [fd00:70ea::e:1]:8080\n"));
        assertTrue(cfg.contains("\n    default-server ssl verify required ca-file " + certs.caFile() + " crt "
                + certs.bundle("ingress") + " verifyhost service-a.mesh.peak.test\n"));
        assertTrue(cfg.contains("\n    server a-2 [fd00:70ea::a:2]:15006\n"));
    }

    @Test
    void meshBalancesByLeastConnections() {
        assertTrue(ingress().contains("\n    balance leastconn\n"));
        assertTrue(sidecarA().contains("\n    balance leastconn\n"));
    }

    @Test
    void everyServerIsHealthChecked() {
        for (String cfg : List.of(ingress(), sidecarA())) {
            assertTrue(cfg.contains("\n    option httpchk\n"));
            assertTrue(cfg.contains("\n    default-server check inter "));
        }
        assertTrue(ingress().contains("hdr Host service-a.mesh.peak.test\n"));
        assertTrue(sidecarA().contains("hdr Host service-b.mesh.peak.test\n"));
    }

    @Test
    void upstreamConnectionsAreReused() {
        for (String cfg : List.of(ingress(), sidecarA(), sidecarB())) {
            assertTrue(cfg.contains("\n    http-reuse always\n"));
            // An SNI would make connections private to its value; the name is verified with verifyhost instead
            assertFalse(cfg.contains(" sni "));
        }
    }

    @Test
    void threadsEqualTheCpuBudget() {
        assertTrue(ingress().contains("\n    nbthread 2\n"));
        assertTrue(sidecarA().contains("\n    nbthread 1\n"));
    }

    @Test
    void statsSocketAndPidFileAreInTheRunDirectory() {
        assertTrue(sidecarB().contains("\n    stats socket " + RUN_DIR + "/haproxy.sock mode 600\n"));
        assertTrue(sidecarB().contains("\n    pidfile " + RUN_DIR + "/haproxy.pid\n"));
    }

    @Test
    void everyMeshSettingSaysWhy() {
        for (String setting : List.of("bind [" + B1 + "]:15006", "http-request deny", "default-server ssl")) {
            String cfg = setting.startsWith("default-server") ? sidecarA() : sidecarB();
            assertTrue(commentedAbove(cfg.lines().toList(), setting), setting + " has no comment above it");
        }
    }

    @Test
    void outboundNeedsAPeerIdentity() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MeshConfig.sidecar(
                "service-a", A1, 8080, List.of(), null, B_SIDECARS, certs, 1, RUN_DIR));
        assertEquals("mesh identity must be a lower-case DNS label: null", e.getMessage());
    }
}
