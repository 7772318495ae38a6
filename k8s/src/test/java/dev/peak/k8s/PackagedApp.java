package dev.peak.k8s;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * One of the suite's packaged Quarkus applications, started on {@code [::1]} with the environment its container
 * gets from the rendered manifests: what the pod would configure, short of the pod. Stopped by its PID.
 */
final class PackagedApp implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    final String url;

    private PackagedApp(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /**
     * The container's environment variables, with the pod's name for {@code metadata.name} and the test's key set
     * where the Secret is mounted ({@code /keys/}); {@code overrides} (the HTTP address, say) win.
     */
    static Map<String, String> containerEnvironment(Deployment deployment, String podName, Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar variable : Rendered.container(deployment).getEnv()) {
            String value;
            if (variable.getValue() != null) {
                value = variable.getValue().startsWith("/keys/")
                        ? Kustomize.file("k8s/base/keys").resolve(variable.getValue().substring("/keys/".length())).toString()
                        : variable.getValue();
            } else if (variable.getValueFrom() != null && variable.getValueFrom().getFieldRef() != null
                    && "metadata.name".equals(variable.getValueFrom().getFieldRef().getFieldPath())) {
                value = podName;
            } else {
                throw new AssertionError(deployment.getMetadata().getName() + ": no stand-in for " + variable);
            }
            env.put(variable.getName(), value);
        }
        env.putAll(overrides);
        return env;
    }

    /** Starts {@code module}'s fast-jar with {@code env} on [::1]:{@code port} and waits until it is ready. */
    static PackagedApp start(String module, Map<String, String> env, int port) throws IOException, InterruptedException {
        Path jar = Kustomize.projectRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            Assumptions.abort(jar + " is not built: run `mvn install -DskipTests -pl " + module + " -am` (make test builds it)");
        }
        Path log = Files.createTempFile(module + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_HOST", "::1");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        PackagedApp app = new PackagedApp(builder.start(), log, "http://[::1]:" + port);
        try {
            app.awaitReady();
            return app;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            app.close();
            throw e;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not ready after " + READY_TIMEOUT.toSeconds() + " s:\n" + Files.readString(log));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }
}
