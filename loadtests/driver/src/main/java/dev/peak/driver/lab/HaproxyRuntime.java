package dev.peak.driver.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.peak.driver.lab.proxy.HaproxyConfig;

/**
 * Where the lab's HAProxy processes (RI1 proxy, mesh ingress, sidecars) keep their pidfile and stats socket, by
 * instance name, and what their stats socket says about their servers.
 */
final class HaproxyRuntime {

    /** HAProxy's longest accepted Unix socket path. */
    private static final int MAX_SOCKET_PATH = 97;

    private final Map<String, Path> runDirs = new LinkedHashMap<>();
    private Path root;

    /**
     * A short directory under the temp directory for {@code name}: a Unix socket's path may not be longer than 107
     * bytes (HAProxy: 97), which a deep work dir exceeds.
     */
    Path dir(String name) {
        try {
            if (root == null) {
                root = Files.createTempDirectory("peak-lab-");
            }
            Path dir = Files.createDirectories(root.resolve(name));
            String socket = dir.resolve(HaproxyConfig.STATS_SOCKET).toString();
            if (socket.length() > MAX_SOCKET_PATH) {
                throw new LabException("the stats socket path " + socket + " is longer than HAProxy accepts ("
                        + MAX_SOCKET_PATH + "): point TMPDIR (java.io.tmpdir) at a shorter directory");
            }
            runDirs.put(name, dir);
            return dir;
        } catch (IOException e) {
            throw new LabException("cannot create a runtime directory for " + name + ": " + e.getMessage(), e);
        }
    }

    /** The servers HAProxy instance {@code name} does not route to; null if it does not answer; empty if not ours. */
    List<String> notUp(String name) {
        Path dir = runDirs.get(name);
        return dir == null ? List.of() : Rotation.notUpAtHaproxy(dir.resolve(HaproxyConfig.STATS_SOCKET));
    }

    void forget(String name) {
        runDirs.remove(name);
    }

    /** The command that runs HAProxy in the foreground as a master process on {@code config} (reloads on SIGUSR2). */
    static List<String> command(Path config) {
        return List.of("haproxy", "-W", "-db", "-f", config.toString());
    }

    void delete() {
        if (root == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory the system cleans eventually
        }
    }
}
