package dev.peak.driver.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The configs the lab writes for the processes it runs (zone file, proxy and sidecar configs). */
final class ConfigFile {

    private ConfigFile() {
    }

    /** Writes {@code content} whole and renames it into place, so that a process reloading it never reads half. */
    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, content);
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
