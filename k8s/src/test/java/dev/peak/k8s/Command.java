package dev.peak.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A tool the checks run (kubectl, haproxy, k8s/deploy.sh), to its end, with what it printed. */
record Command(int exit, String out, String err) {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * Runs {@code command} with {@code env} added to this JVM's environment. Standard error goes to a file while
     * standard output is read, so neither can fill its pipe and stall the other.
     *
     * @throws IOException when the tool cannot be started (not installed, say)
     */
    static Command run(List<String> command, Map<String, String> env) throws IOException {
        Path err = Files.createTempFile("command-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT.toSeconds() + " s");
            }
            return new Command(process.exitValue(), out, Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Standard output then standard error: a tool's messages, wherever it prints them. */
    String all() {
        return out + err;
    }
}
