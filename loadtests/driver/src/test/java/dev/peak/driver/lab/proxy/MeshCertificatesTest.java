package dev.peak.driver.lab.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshCertificatesTest {

    static final List<String> IDENTITIES = List.of("ingress", "service-a", "service-b");

    @TempDir
    static Path dir;
    static MeshCertificates certs;

    @BeforeAll
    static void generate() {
        ProxySyntaxCheckTest.assumeInstalled("openssl");
        certs = MeshCertificates.generate(dir, IDENTITIES);
    }

    @Test
    void leafCarriesIstioLikeNames() throws IOException {
        String text = ProxySyntaxCheckTest.run("openssl", "x509", "-in", certs.bundle("service-b").toString(), "-noout",
                "-subject", "-ext", "subjectAltName,extendedKeyUsage").output();
        assertTrue(text.contains("CN = service-b"), text);
        assertTrue(text.contains("DNS:service-b.mesh.peak.test"), text);
        assertTrue(text.contains("URI:spiffe://peak.test/ns/lab/sa/service-b"), text);
        // One certificate serves both directions of mutual TLS
        assertTrue(text.contains("TLS Web Server Authentication") && text.contains("TLS Web Client Authentication"),
                text);
    }

    @Test
    void everyLeafIsSignedByTheLabCa() throws IOException {
        for (String identity : IDENTITIES) {
            ProxySyntaxCheckTest.Result verify = ProxySyntaxCheckTest.run("openssl", "verify", "-CAfile", certs.caFile().toString(),
                    certs.bundle(identity).toString());
            assertEquals(0, verify.exitCode(), verify.output());
        }
    }

    @Test
    void caIsP256() throws IOException {
        String text = ProxySyntaxCheckTest.run("openssl", "x509", "-in", certs.caFile().toString(), "-noout", "-text")
                .output();
        assertTrue(text.contains("NIST CURVE: P-256") || text.contains("prime256v1"), text);
        assertTrue(text.contains("CA:TRUE"), text);
    }

    @Test
    void bundleHoldsCertificateThenKeyReadableOnlyByItsOwner() throws IOException {
        Path bundle = certs.bundle("ingress");
        String pem = Files.readString(bundle);
        int certificate = pem.indexOf("-----BEGIN CERTIFICATE-----");
        int key = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        assertTrue(certificate == 0 && key > certificate, pem.substring(0, Math.min(pem.length(), 80)));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(bundle));
    }

    @Test
    void onlyCaAndBundlesAreLeftBehind() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of("ca.key", "ca.pem", "ingress.pem", "service-a.pem", "service-b.pem"),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void unknownIdentityIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> certs.bundle("service-c"));
        assertTrue(e.getMessage().contains("service-c"));
    }

    @Test
    void identityThatIsNotADnsLabelIsRejected(@TempDir Path other) {
        for (String identity : List.of("Service-A", "a/b", "a b", "-a", "")) {
            assertThrows(IllegalArgumentException.class, () -> MeshCertificates.generate(other, List.of(identity)),
                    identity);
        }
    }
}
