package dev.peak.driver.lab.proxy;

import java.nio.file.Path;

/**
 * Values as they are written into HAProxy and nginx configurations. Both parse unquoted words, so
 * anything that could end a word or start a comment is refused here rather than quoted two ways.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    /** An absolute path made only of characters neither proxy treats specially. */
    static String path(Path path) {
        String text = path.toString();
        if (!path.isAbsolute() || !text.matches("[A-Za-z0-9._/+-]+")) {
            throw new IllegalArgumentException(
                    "proxy run directory must be absolute and use only letters, digits and . _ / + -: " + text);
        }
        return text;
    }

    static void requireBareIpv6(String address) {
        if (address == null || address.indexOf(':') < 0 || !address.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("expected a bare IPv6 literal (no brackets): " + address);
        }
    }

    static void requirePort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1: " + value);
        }
    }
}
