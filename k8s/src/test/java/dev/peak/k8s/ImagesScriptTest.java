package dev.peak.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** k8s/images.sh, behind make images: unique tags, the mvn calls that push, and the digests k8s/deploy.sh deploys. */
class ImagesScriptTest {

    private static final String REGISTRY = "reg.example/team";

    /** Records its arguments; a pushing build leaves a digest in each built module's target, as Jib does. */
    private static final String PUSHING_MVN = """
            #!/bin/sh
            echo "$*" >> "$(dirname "$0")/calls"
            case " $* " in
              *" -Dquarkus.container-image.push=true "*|*" jib:build "*) ;;
              *) exit 0 ;;
            esac
            while [ $# -gt 0 ]; do
              [ "$1" = -pl ] && modules=$2
              shift
            done
            for module in $(echo "$modules" | tr , ' '); do
              mkdir -p "$module/target"
              printf 'sha256:%s' "$(printf %s "$module" | sha256sum | cut -c1-64)" > "$module/target/jib-image.digest"
            done
            """;

    @TempDir
    Path tmp;

    private Path project;
    private Path bin;

    @BeforeEach
    void minimalProject() throws IOException {
        project = Files.createDirectories(tmp.resolve("project"));
        bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createDirectories(project.resolve("k8s"));
        Files.copy(Kustomize.projectRoot().resolve("k8s/images.sh"), project.resolve("k8s/images.sh"));
        Files.copy(Kustomize.projectRoot().resolve("pom.xml"), project.resolve("pom.xml"));
        git("-c", "init.defaultBranch=main", "init", "-q");
        git("add", ".");
        git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "init");
    }

    @Test
    void aCleanTreeIsTaggedWithVersionAndCommitAndItsDigestsAreRecorded() throws Exception {
        Command result = images(PUSHING_MVN, Map.of());
        assertEquals(0, result.exit(), result.all());
        Map<String, String> record = record("images-jvm.env");
        String tag = version() + "-" + git("rev-parse", "--short=12", "HEAD");
        assertEquals(REGISTRY, record.get("registry"));
        assertEquals(tag, record.get("tag"));
        for (String module : List.of("service-a", "service-b", "peak-dns")) {
            assertEquals(digestOf(module), record.get(module), module);
        }
        assertEquals(REGISTRY + "/peak/simulations:" + tag + "@" + digestOf("loadtests/simulations"), record.get("simulations"));
        String push = calls().get(0);
        // Quarkus composes <registry>/<group>/<name>: the path of REGISTRY goes into the group, before peak
        assertTrue(push.contains("-Dquarkus.container-image.registry=reg.example "), push);
        assertTrue(push.contains("-Dquarkus.container-image.group=team/peak "), push);
        assertTrue(push.contains("-Dquarkus.container-image.tag=" + tag), push);
    }

    @Test
    void aChangedTrackedFileMakesTheTagUniquePerBuild() throws Exception {
        Files.writeString(project.resolve("pom.xml"), "<!-- edited -->\n", StandardOpenOption.APPEND);
        Command result = images(PUSHING_MVN, Map.of());
        assertEquals(0, result.exit(), result.all());
        String tag = record("images-jvm.env").get("tag");
        String expected = Pattern.quote(version() + "-" + git("rev-parse", "--short=12", "HEAD")) + "-dirty-\\d{8}T\\d{6}Z";
        assertTrue(tag.matches(expected), tag);
    }

    @Test
    void nativeBuildsAreRecordedApartAndTaggedNative() throws Exception {
        Command result = images(PUSHING_MVN, Map.of("NATIVE", "1"));
        assertEquals(0, result.exit(), result.all());
        assertFalse(Files.exists(project.resolve("k8s/.deploy/images-jvm.env")), "a native build wrote the JVM record");
        String tag = record("images-native.env").get("tag");
        assertTrue(tag.endsWith("-native"), tag);
        assertTrue(List.of(calls().get(0).split(" ")).contains("-Dnative"), calls().get(0));
    }

    @Test
    void withoutARegistryItSaysHowToNameOneAndBuildsNothing() throws Exception {
        // set empty rather than left out: the JVM's own environment might carry a REGISTRY
        Command result = images(PUSHING_MVN, Map.of("REGISTRY", ""));
        assertEquals(1, result.exit(), result.all());
        assertTrue(result.all().contains("make images REGISTRY=<host>[/<path>]"), result.all());
        assertFalse(Files.exists(bin.resolve("calls")), "mvn was called");
    }

    @Test
    void aBuildThatPushedNothingFailsNamingTheMissingDigest() throws Exception {
        Command result = images("""
                #!/bin/sh
                echo "$*" >> "$(dirname "$0")/calls"
                """, Map.of());
        assertNotEquals(0, result.exit(), result.all());
        assertTrue(result.all().contains("target/jib-image.digest is missing"), result.all());
    }

    /** Runs the project's copy of images.sh with {@code mvn} as the Maven it calls. */
    private Command images(String mvn, Map<String, String> env) throws IOException {
        Path script = bin.resolve("mvn");
        Files.writeString(script, mvn);
        assertTrue(script.toFile().setExecutable(true));
        Map<String, String> all = new HashMap<>(Map.of("MVN", script.toString(), "MVNFLAGS", "-B", "REGISTRY", REGISTRY,
                "NATIVE", "", "IMAGE_TAG", ""));
        all.putAll(env);
        return Command.run(List.of("bash", project.resolve("k8s/images.sh").toString()), all);
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(bin.resolve("calls"));
    }

    private Map<String, String> record(String name) throws IOException {
        Map<String, String> record = new HashMap<>();
        for (String line : Files.readAllLines(project.resolve("k8s/.deploy").resolve(name))) {
            if (!line.startsWith("#")) {
                String[] pair = line.split("=", 2);
                record.put(pair[0], pair[1]);
            }
        }
        return record;
    }

    private String git(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", project.toString()));
        command.addAll(List.of(args));
        Command result = Command.run(command, Map.of());
        assertEquals(0, result.exit(), String.join(" ", command) + ": " + result.all());
        return result.out().strip();
    }

    private static String version() {
        String version = System.getProperty("peak.version");
        assertNotNull(version, "surefire passes peak.version");
        return version;
    }

    /** What the stand-in mvn writes for {@code module}. */
    private static String digestOf(String module) throws NoSuchAlgorithmException {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(module.getBytes(StandardCharsets.UTF_8));
        return "sha256:" + HexFormat.of().formatHex(hash);
    }
}
