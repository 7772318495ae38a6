package dev.peak.driver.lab;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code scale.sh lab ... -- CMD} as a script uses it: CMD's output piped into a parser. */
class LabCommandIT {

    @Test
    void standardOutputIsTheCommandsByteForByteAndTheLabSpeaksOnStandardError(@TempDir Path dir) throws Exception {
        Path root = LabCommand.projectRoot();
        Path err = dir.resolve("stderr.log");
        Process process = new ProcessBuilder(root.resolve("loadtests/scale.sh").toString(), "lab", "--variant", "ri2-mesh",
                "--servers", "1", "--work-dir", dir.resolve("lab").toString(), "--",
                "sh", "-c", "curl -sfg \"$PEAK_ENTRY/chain?cost=2\"")
                .redirectError(err.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor(), Files.readString(err));

        String text = new String(out, StandardCharsets.UTF_8);
        // a parser that refuses anything before or after the one JSON document, as jq would
        JsonNode chain = assertDoesNotThrow(() -> new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(out), text);
        assertTrue(chain.has("a") && chain.has("b"), text);
        String said = Files.readString(err);
        assertTrue(said.contains("PEAK_ENTRY=") && said.contains("Logs and configs: "), said);
    }
}
