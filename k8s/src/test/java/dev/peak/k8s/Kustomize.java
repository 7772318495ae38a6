package dev.peak.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import com.nimbusds.jose.jwk.JWKSet;

import dev.peak.common.keys.KeySetGenerator;

/**
 * Renders kustomizations with {@code kubectl kustomize}, on a copy of the project's manifests that has a
 * freshly generated key set where {@code make keys} would write it: the checks never depend on, or
 * write into, the user's working tree.
 *
 * <p>Without kubectl (or with one whose kustomize predates v5) every manifest check is reported as
 * aborted, with what to install; nothing fails. Set {@code PEAK_REQUIRE_KUBECTL=1} to make that a
 * failure instead.
 */
final class Kustomize {

    /** Components, {@code labels} and replacement-style patches as used here need kustomize v5. */
    private static final int MIN_KUSTOMIZE_MAJOR = 5;
    private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("Kustomize Version: v(\\d+)\\.");

    private static Path copy;

    private Kustomize() {
    }

    /** The project's root: the surefire configuration passes it. */
    static Path projectRoot() {
        return Path.of(System.getProperty("peak.project.root", "..")).toAbsolutePath().normalize();
    }

    /** {@code kubectl kustomize} of a directory relative to the project root (in the copy). */
    static String render(String directory) {
        return run(workTree().resolve(directory));
    }

    /** Renders a kustomization written for the test, placed at {@code directory} (relative to the copy's root). */
    static String renderOwn(String directory, String kustomization) {
        Path dir = workTree().resolve(directory);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a kustomization into " + dir, e);
        }
        return run(dir);
    }

    /** A file of the copy, as the manifests reference it. */
    static Path file(String relative) {
        return workTree().resolve(relative);
    }

    private static synchronized Path workTree() {
        if (copy == null) {
            requireKubectl();
            try {
                Path root = Files.createTempDirectory("peak-k8s-");
                for (String dir : List.of("k8s/base", "k8s/components", "k8s/overlays", "mesh-variant")) {
                    copyTree(projectRoot().resolve(dir), root.resolve(dir));
                }
                // the deploy script and the version it tags images with
                Files.copy(projectRoot().resolve("k8s/deploy.sh"), root.resolve("k8s/deploy.sh"));
                Files.copy(projectRoot().resolve("pom.xml"), root.resolve("pom.xml"));
                Path keys = root.resolve("k8s/base/keys");
                Files.createDirectories(keys);
                KeySetGenerator.write(new JWKSet(List.of(KeySetGenerator.generate("RS256", "rs256-1"))), keys);
                copy = root;
            } catch (Exception e) {
                throw new IllegalStateException("cannot prepare a copy of the manifests: " + e.getMessage(), e);
            }
        }
        return copy;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (source.startsWith(from.resolve("keys"))) {
                    continue; // a developer's own key set stays where it is
                }
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void requireKubectl() {
        String version;
        try {
            version = exec(List.of("kubectl", "version", "--client"));
        } catch (IllegalStateException e) {
            unavailable("kubectl is not installed (" + e.getMessage() + ")");
            return;
        }
        Matcher m = KUSTOMIZE_VERSION.matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) < MIN_KUSTOMIZE_MAJOR) {
            unavailable("kubectl's kustomize is older than v" + MIN_KUSTOMIZE_MAJOR + " (kubectl version --client: "
                    + version.strip().replace('\n', ' ') + ")");
        }
    }

    private static void unavailable(String why) {
        String message = why + ": the manifest checks need kubectl 1.27 or newer (kustomize v5), e.g. from "
                + "https://kubernetes.io/docs/tasks/tools/ (Debian 12's kubernetes-client package is too old)";
        if ("1".equals(System.getenv("PEAK_REQUIRE_KUBECTL"))) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
    }

    private static String run(Path dir) {
        return exec(List.of("kubectl", "kustomize", dir.toString()));
    }

    /** Standard output of {@code command}; its standard error in the exception when it fails. */
    private static String exec(List<String> command) {
        Command run;
        try {
            run = Command.run(command, Map.of());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (run.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + run.exit() + "): " + run.err().strip());
        }
        return run.out();
    }
}
