package dev.peak.driver.lab.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated configurations as the real binaries read them: {@code haproxy -c} and {@code nginx -t}
 * (the mesh's with real certificates, which haproxy -c loads). Skipped where a binary is missing.
 */
class ProxySyntaxCheckTest {

    /** The system directories where Debian installs both proxies, often missing from a user's PATH. */
    private static final List<String> SBIN = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");
    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    Path runDir;

    @Test
    void haproxyAcceptsTheReverseProxy() throws IOException {
        for (BalancePolicy balance : BalancePolicy.values()) {
            assertValid(haproxyCheck(write("haproxy.cfg", HaproxyConfig.reverseProxy(HaproxyConfigTest.ENTRY,
                    HaproxyConfigTest.SERVERS, balance, 2, runDir))));
        }
    }

    @Test
    void nginxAcceptsTheReverseProxy() throws IOException {
        // nginx -t binds the listen address (it does not connect): give it a free port on ::1, which
        // exists everywhere, unlike a lab address outside a lab namespace
        Listen loopback = new Listen("::1", freeLoopbackPort());
        for (BalancePolicy balance : BalancePolicy.values()) {
            Path config = write("nginx.conf",
                    NginxConfig.reverseProxy(loopback, HaproxyConfigTest.SERVERS, balance, 2, runDir));
            assertValid(run(binary("nginx"), "-t", "-p", runDir.toString(), "-c", config.toString(), "-e", "stderr"));
        }
    }

    @Test
    void haproxyAcceptsTheMeshWithItsCertificates() throws IOException {
        assumeInstalled("openssl");
        MeshCertificates certs = MeshCertificates.generate(runDir.resolve("certs"), MeshCertificatesTest.IDENTITIES);
        assertValid(haproxyCheck(write("ingress.cfg", MeshConfig.ingress(HaproxyConfigTest.ENTRY,
                MeshConfigTest.A_SIDECARS, certs, 2, runDir))));
        assertValid(haproxyCheck(write("sidecar-a.cfg", MeshConfig.sidecar("service-a", MeshConfigTest.A1, 8080,
                List.of(), "service-b", MeshConfigTest.B_SIDECARS, certs, 1, runDir))));
        assertValid(haproxyCheck(write("sidecar-b.cfg", MeshConfig.sidecar("service-b", MeshConfigTest.B1, 8080,
                List.of("service-a"), null, List.of(), certs, 1, runDir))));
    }

    /** A command's exit code and its stdout and stderr together. */
    record Result(int exitCode, String output) {
    }

    /** Skips the calling test, saying why, when the program is not installed. */
    static void assumeInstalled(String program) {
        Assumptions.assumeTrue(find(program).isPresent(), program + " is not installed (looked on PATH and in "
                + SBIN + "): skipping what needs it");
    }

    /** Runs program (found like {@link #assumeInstalled}) with a bounded wait. */
    static Result run(String program, String... arguments) throws IOException {
        return run(binary(program), arguments);
    }

    private static Result run(Path binary, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            // Outputs are a few lines: reading to the end before waiting cannot fill a pipe
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Result haproxyCheck(Path config) throws IOException {
        return run(binary("haproxy"), "-c", "-f", config.toString());
    }

    private static void assertValid(Result check) {
        assertEquals(0, check.exitCode(), check.output());
    }

    private Path write(String name, String config) throws IOException {
        return Files.writeString(runDir.resolve(name), config);
    }

    private static Path binary(String program) {
        assumeInstalled(program);
        return find(program).orElseThrow();
    }

    private static Optional<Path> find(String program) {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                        SBIN.stream())
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
