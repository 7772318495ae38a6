package dev.peak.driver.results;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver rewrites its results folder after every level; {@code bench --resume} and the report read it back. A bench
 * killed (SIGKILL) while it writes must leave the levels it completed: every file whole, old or new, never half.
 */
class ReportWriterKillTest {

    private static final int ROUNDS = 8;
    private static final long STARTUP_LIMIT_MS = 15_000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(30)
    void aKillMidWriteLeavesTheLastCompleteResults() throws Exception {
        Results written = ReportWriterLoop.large();
        int levels = levels(written);
        List<String> broken = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            Path dir = tmp.resolve("round-" + round);
            long afterMs = ThreadLocalRandom.current().nextLong(50, 301);
            killMidWrite(dir, afterMs);
            String problem = problem(dir, written, levels);
            if (problem != null) {
                broken.add("round " + round + " (killed " + afterMs + " ms after the first write): " + problem);
            }
        }
        assertTrue(broken.isEmpty(), broken.size() + " of " + ROUNDS + " kills left a broken folder:\n"
                + String.join("\n", broken));
    }

    /** What is wrong with the folder a killed writer left, or null when every file is whole and complete. */
    private static String problem(Path dir, Results written, int levels) throws IOException {
        Path json = dir.resolve("results.json");
        Results read;
        try {
            read = ReportWriter.read(json);
        } catch (IOException e) {
            return "results.json (" + Files.size(json) + " bytes) does not parse: " + e.getMessage().lines().findFirst()
                    .orElse("");
        }
        if (levels(read) != levels) {
            return "results.json has " + levels(read) + " levels, not " + levels;
        }
        if (!written.equals(read)) {
            return "results.json is not what was written";
        }
        if (!Arrays.equals(ReportWriter.csv(written).getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(dir.resolve("results.csv")))) {
            return "results.csv is not what was written (" + Files.size(dir.resolve("results.csv")) + " bytes)";
        }
        // the page's bytes differ between JVMs (Map.of's order), not their number
        long page = ReportWriter.html(written).getBytes(StandardCharsets.UTF_8).length;
        if (Files.size(dir.resolve("index.html")) != page) {
            return "index.html has " + Files.size(dir.resolve("index.html")) + " bytes, not " + page;
        }
        return null;
    }

    /**
     * Starts a JVM writing {@code dir} in a loop, waits until its first write is through (index.html, the last file it
     * writes, is there), then SIGKILLs it {@code afterMs} later.
     */
    private static void killMidWrite(Path dir, long afterMs) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.getParent().resolve(dir.getFileName() + ".log");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), ReportWriterLoop.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_LIMIT_MS);
            while (!Files.exists(dir.resolve("index.html"))) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    fail("the writing JVM wrote no index.html (" + (child.isAlive() ? "still running" : "exit "
                            + child.exitValue()) + "): " + Files.readString(log));
                }
                Thread.sleep(5);
            }
            Thread.sleep(afterMs);
            assertTrue(child.isAlive(), "the writing JVM died on its own: " + Files.readString(log));
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    private static int levels(Results results) {
        return results.runs().stream().map(StaircaseRun::levels).mapToInt(List::size).sum();
    }
}
