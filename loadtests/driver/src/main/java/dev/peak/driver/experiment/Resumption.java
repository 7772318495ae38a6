package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.peak.driver.results.Manifest;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.SavedRun;
import dev.peak.driver.results.Skipped;

/**
 * What {@code bench --resume DIR} needs: the interrupted run's results and options, and the proof that what runs now
 * would measure the same thing (same code, machine, tools and plan), without which the two halves of one report
 * could not be compared.
 */
public final class Resumption {

    /** How a step that failed is recorded among the skipped ones (a resumed run tries it again). */
    static final String FAILED = "failed (";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Resumption() {
    }

    /** The partial results in {@code dir}; refused when there are none or the run had finished. */
    public static Results read(Path dir) throws IOException {
        SavedRun earlier = SavedRun.read(dir);
        if (!earlier.partial()) {
            throw new IllegalArgumentException("nothing to resume in " + dir + ": that run finished");
        }
        return earlier.results();
    }

    /** The bench options the run was started with, from its manifest's command line ({@code scale.sh bench ...}). */
    public static List<String> arguments(Manifest manifest) {
        List<String> words = new ArrayList<>(Arrays.asList(manifest.commandLine().trim().split("\\s+")));
        if (words.size() < 2 || !words.get(0).equals("scale.sh") || !words.get(1).equals("bench")) {
            throw new IllegalArgumentException("cannot resume: the manifest's command line is not a bench run's: "
                    + manifest.commandLine());
        }
        return words.subList(2, words.size());
    }

    /**
     * Refuses to resume, with the reason, when the checkout, the machine, the tools' versions or the plan differ
     * from the interrupted run's.
     */
    public static void check(Manifest then, Manifest now, Path dir) {
        Map<String, Object[]> compared = new LinkedHashMap<>();
        compared.put("git commit", new Object[]{then.gitCommit(), now.gitCommit()});
        compared.put("machine", new Object[]{then.machine(), now.machine()});
        compared.put("versions", new Object[]{then.versions(), now.versions()});
        compared.put("CPU budgets", new Object[]{then.cpuBudgets(), now.cpuBudgets()});
        compared.put("plan", new Object[]{then.plan(), now.plan()});
        List<String> differences = new ArrayList<>();
        compared.forEach((what, values) -> {
            if (!json(values[0]).equals(json(values[1]))) {
                differences.add(what + " was " + values[0] + ", now " + values[1]);
            }
        });
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("cannot resume " + dir + ": " + String.join("; ", differences)
                    + ". Its figures would not be comparable with the ones measured before: start a new run");
        }
    }

    /**
     * A value as JSON reads it back, so that one read from results.json and one computed now compare equal when
     * they say the same: numbers of the same value, maps whatever their order (Map.of's differs between JVMs).
     */
    private static JsonNode json(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot compare " + value, e);
        }
    }

    public static boolean failed(Skipped skipped) {
        return skipped.reason().startsWith(FAILED);
    }
}
