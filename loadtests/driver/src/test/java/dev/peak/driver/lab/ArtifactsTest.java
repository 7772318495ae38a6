package dev.peak.driver.lab;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.peak.driver.variant.Variant;

class ArtifactsTest {

    @TempDir
    Path dir;

    @Test
    void missingToolsAreNamedWithTheirDebianPackages() throws IOException {
        executable(dir.resolve("ip"));
        LabException e = assertThrows(LabException.class,
                () -> Artifacts.requireTools(List.of("ip", "haproxy", "tc", "openssl"), dir.toString()));
        assertEquals("missing tools: haproxy, tc, openssl. Install them with: apt-get install haproxy iproute2 openssl"
                + " (or run 'make setup' as root)", e.getMessage());
        assertDoesNotThrow(() -> Artifacts.requireTools(List.of("ip"), dir.toString()));
    }

    @Test
    void aBenchNeedsTheToolsOfEveryVariantItRuns() {
        assertEquals(List.of("ip", "taskset", "haproxy", "nginx", "openssl"), Artifacts.tools(
                List.of(Variant.RI1_PEAK, Variant.RI1_HAPROXY, Variant.RI1_NGINX, Variant.RI2_MESH), false));
        assertEquals(List.of("ip", "taskset", "tc"), Artifacts.tools(List.of(Variant.RI1_DIRECT), true));
    }

    @Test
    void extraJvmOptionsNameEachInstancesOwnFiles() {
        Path gcLog = dir.resolve("logs/a-1.gc.log");
        assertEquals(List.of("-XX:StartFlightRecording=filename=" + dir.resolve("logs/a-1") + ".jfr", "-Xss1m"),
                Artifacts.extraOptions(" -XX:StartFlightRecording=filename={instance}.jfr  -Xss1m ", gcLog));
        assertEquals(List.of(), Artifacts.extraOptions(null, gcLog));
        assertEquals(List.of(), Artifacts.extraOptions(" ", gcLog));
    }

    @Test
    void aNativeExecutableIsPreferredToTheJar() throws IOException {
        Path target = Files.createDirectories(dir.resolve("service-a/target/quarkus-app"));
        Files.createFile(target.resolve("quarkus-run.jar"));
        List<String> jvm = Artifacts.command(dir, Artifacts.Application.SERVICE_A, 1, Map.of("peak.instance.id", "a-1"),
                dir.resolve("a-1.gc.log"));
        assertTrue(jvm.get(0).endsWith("/bin/java") && jvm.contains("-XX:ActiveProcessorCount=1")
                && jvm.contains("-XX:CompileThresholdScaling=0.1")
                && jvm.contains("-Xlog:gc:file=" + dir.resolve("a-1.gc.log") + ":time,uptime,level,tags")
                && jvm.contains("-Dpeak.instance.id=a-1") && jvm.contains("-Dquarkus.vertx.event-loops-pool-size=1")
                && jvm.get(jvm.size() - 1).endsWith("quarkus-run.jar"), jvm.toString());

        Path runner = executable(dir.resolve("service-a/target/service-a-1.0.0-SNAPSHOT-runner"));
        List<String> nativeImage = Artifacts.command(dir, Artifacts.Application.SERVICE_A, 1, Map.of("peak.instance.id", "a-1"),
                dir.resolve("a-1.gc.log"));
        assertEquals(List.of(runner.toString(), "-Xmx" + Artifacts.HEAP, "-Dpeak.instance.id=a-1",
                "-Djava.net.preferIPv6Addresses=true", "-Dquarkus.vertx.event-loops-pool-size=1"), nativeImage);
    }

    private static Path executable(Path file) throws IOException {
        Files.createFile(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
