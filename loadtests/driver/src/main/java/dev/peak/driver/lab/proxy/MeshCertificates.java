package dev.peak.driver.lab.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.peak.driver.experiment.Commands;

/**
 * The mesh's certificates, made with the openssl CLI: a lab CA (EC P-256) and, per workload identity,
 * a leaf signed by it whose names follow Istio's (a SPIFFE URI) plus a DNS name the proxies verify.
 * Each identity gets a PEM bundle (certificate, then key) that HAProxy's {@code crt} loads.
 */
public final class MeshCertificates {

    /** Identities become DNS labels and certificate subjects: nothing that openssl would parse as syntax. */
    private static final String IDENTITY = "[a-z0-9]([a-z0-9-]*[a-z0-9])?";
    private static final String DNS_SUFFIX = ".mesh.peak.test";
    private static final String SPIFFE_PREFIX = "spiffe://peak.test/ns/lab/sa/";
    /** Every lab run generates fresh certificates; a month outlasts any run. */
    private static final int VALIDITY_DAYS = 30;

    private final Path caFile;
    private final Map<String, Path> bundles;

    private MeshCertificates(Path caFile, Map<String, Path> bundles) {
        this.caFile = caFile;
        this.bundles = bundles;
    }

    /**
     * Writes {@code ca.pem} (and its key) and one {@code <identity>.pem} bundle per identity into dir,
     * replacing what an earlier run left there.
     *
     * @throws IllegalArgumentException for an identity that is not a lower-case DNS label
     * @throws IllegalStateException when openssl is missing, fails (its output is in the message) or hangs
     */
    public static MeshCertificates generate(Path dir, List<String> identities) {
        identities.forEach(MeshCertificates::requireIdentity);
        try {
            Files.createDirectories(dir);
            Path caKey = dir.resolve("ca.key");
            Path caFile = dir.resolve("ca.pem");
            Path extensions = Files.writeString(dir.resolve("extensions.cnf"), extensionsConfig(identities));
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", caKey.toString());
            openssl("req", "-x509", "-new", "-key", caKey.toString(), "-subj", "/CN=peak-lab-mesh-ca",
                    "-days", String.valueOf(VALIDITY_DAYS), "-config", extensions.toString(), "-extensions", "ca",
                    "-out", caFile.toString());
            Map<String, Path> bundles = new LinkedHashMap<>();
            for (String identity : identities) {
                bundles.put(identity, leaf(dir, identity, caFile, caKey, extensions));
            }
            Files.delete(extensions);
            Files.deleteIfExists(dir.resolve("ca.srl"));
            return new MeshCertificates(caFile, Map.copyOf(bundles));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the mesh certificates in " + dir, e);
        }
    }

    public Path caFile() {
        return caFile;
    }

    /** The PEM bundle (certificate and key) of identity. */
    public Path bundle(String identity) {
        Path bundle = bundles.get(identity);
        if (bundle == null) {
            throw new IllegalArgumentException("no certificate for identity " + identity + "; have " + bundles.keySet());
        }
        return bundle;
    }

    /** The DNS name in identity's certificate, which its peers verify. */
    static String dnsName(String identity) {
        return identity + DNS_SUFFIX;
    }

    static String spiffeId(String identity) {
        return SPIFFE_PREFIX + identity;
    }

    static void requireIdentity(String identity) {
        if (identity == null || !identity.matches(IDENTITY)) {
            throw new IllegalArgumentException("mesh identity must be a lower-case DNS label: " + identity);
        }
    }

    private static Path leaf(Path dir, String identity, Path caFile, Path caKey, Path extensions) throws IOException {
        Path key = dir.resolve(identity + ".key");
        Path request = dir.resolve(identity + ".csr");
        Path certificate = dir.resolve(identity + ".crt");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + identity,
                "-config", extensions.toString(), "-out", request.toString());
        openssl("x509", "-req", "-in", request.toString(), "-CA", caFile.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", String.valueOf(VALIDITY_DAYS), "-extfile", extensions.toString(),
                "-extensions", "leaf_" + identity, "-out", certificate.toString());
        Path bundle = dir.resolve(identity + ".pem");
        Files.writeString(bundle, Files.readString(certificate) + Files.readString(key));
        Files.setPosixFilePermissions(bundle, PosixFilePermissions.fromString("rw-------"));
        Files.delete(key);
        Files.delete(request);
        Files.delete(certificate);
        return bundle;
    }

    /**
     * One openssl config for every call: an empty request section (the subject comes from -subj), the
     * CA's extensions, and per identity a leaf usable as TLS server and client (mutual TLS) with
     * Istio's SPIFFE URI and the DNS name the peers verify.
     */
    private static String extensionsConfig(List<String> identities) {
        StringBuilder cnf = new StringBuilder("""
                [req]
                distinguished_name = subject

                [subject]

                [ca]
                basicConstraints = critical, CA:TRUE
                keyUsage = critical, keyCertSign, cRLSign
                subjectKeyIdentifier = hash
                """);
        for (String identity : identities) {
            cnf.append("""

                    [leaf_%s]
                    basicConstraints = critical, CA:FALSE
                    keyUsage = critical, digitalSignature
                    extendedKeyUsage = serverAuth, clientAuth
                    subjectKeyIdentifier = hash
                    authorityKeyIdentifier = keyid
                    subjectAltName = DNS:%s, URI:%s
                    """.formatted(identity, dnsName(identity), spiffeId(identity)));
        }
        return cnf.toString();
    }

    private static void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Commands.run(command);
    }
}
