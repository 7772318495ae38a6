package dev.peak.driver.experiment;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Short system commands (ip, tc, openssl) run to completion with a bound; failures carry their output. */
public final class Commands {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Commands() {
    }

    /** Runs {@code command} and returns its standard output; throws with its stderr when it fails. */
    public static String run(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new CommandException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CommandException(String.join(" ", command) + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new CommandException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                        + err.join().strip());
            }
            return out.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while running " + command.get(0), e);
        }
    }

    public static String run(String... command) {
        return run(List.of(command));
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
