package dev.peak.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code scale.sh bench} stops on what it cannot use with one line and a failure status, before it measures anything. */
class MainTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    @AfterEach
    void forgetKubeconfig() {
        System.clearProperty("kubeconfig");
    }

    private int bench(String... args) {
        CommandLine command = Main.commandLine();
        command.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 3];
        all[0] = "bench";
        all[1] = "--results";
        all[2] = dir.resolve("results").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return command.execute(all);
    }

    @Test
    void anUnreachableClusterStopsTheBenchWithOneErrorLine() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: gone
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: gone
                  context:
                    cluster: gone
                    user: nobody
                current-context: gone
                users:
                - name: nobody
                  user: {}
                """.formatted(closedPort));
        System.setProperty("kubeconfig", kubeconfig.toString());

        int status = bench("--platform", "kubernetes", "--variants", "ri1-peak");

        assertEquals(1, status);
        String message = err.toString();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("error: no Kubernetes cluster reachable from the current context (context gone, "
                + "http://127.0.0.1:" + closedPort + "/: "), message);
        assertTrue(message.strip().endsWith("): start one or set KUBECONFIG"), message);
        assertTrue(Files.notExists(dir.resolve("results")), "no results directory for a run that never started");
    }

    @Test
    void ri1DirectIsRefusedOnKubernetesBeforeTheClusterIsAsked() {
        int status = bench("--platform", "kubernetes", "--variants", "ri1-peak,ri1-direct");

        assertEquals(1, status);
        assertTrue(err.toString().startsWith("error: ri1-direct is not supported on Kubernetes"), err.toString());
    }

    @Test
    void loadInTheClusterNeedsTheKubernetesPlatform() {
        assertEquals(1, bench("--load-in-cluster"));
        assertEquals("error: --load-in-cluster needs --platform kubernetes", err.toString().strip());
    }

    @Test
    void anUnknownPlatformIsNamed() {
        assertEquals(CommandLine.ExitCode.USAGE, bench("--platform", "nomad"));
        assertEquals("Invalid value for option '--platform': --platform must be one of local, kubernetes, not nomad",
                err.toString().lines().findFirst().orElse(""));
    }
}
