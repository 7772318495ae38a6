package dev.peak.driver.lab;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.peak.driver.experiment.CommandException;
import dev.peak.driver.experiment.Commands;

/**
 * The private network namespace the lab lives in, created by {@code loadtests/bin/lab-namespace}.
 * Before the lab adds a single address it proves it is in one: the wrapper's marker is set and the
 * namespace has no route off the machine. Outside such a namespace the build host would send lab
 * traffic away through its default IPv6 route (docs/architecture.md: The local lab).
 */
public final class LabNamespace implements AutoCloseable {

    static final String MARKER = "PEAK_LAB_NAMESPACE";
    private static final Pattern DELAY = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s)");

    private final Set<String> addresses = new LinkedHashSet<>();
    private boolean delayed;

    LabNamespace() {
    }

    /** Checks that this process runs inside a lab namespace, or explains how to get into one. */
    public static LabNamespace enter() {
        if (!"1".equals(System.getenv(MARKER))) {
            throw new LabException("the lab runs only inside its own network namespace: start it with "
                    + "loadtests/scale.sh lab ... (or loadtests/bin/lab-namespace CMD)");
        }
        for (String family : List.of("-4", "-6")) {
            String routes = Commands.run("ip", family, "route", "show", "default");
            if (!routes.isBlank()) {
                throw new LabException("refusing to start: this namespace has a default route (" + routes.strip()
                        + "), lab traffic could leave the machine");
            }
        }
        return new LabNamespace();
    }

    /**
     * Gives {@code address} to this namespace (on lo, no duplicate address detection: nothing else is here).
     * An address it already gave stays: an instance that scaling down stopped may start again on it.
     */
    public void addAddress(String address) {
        if (!address.startsWith(Addresses.PREFIX)) {
            throw new IllegalArgumentException(address + " is not a lab address");
        }
        if (addresses.contains(address)) {
            return;
        }
        Commands.run("ip", "-6", "addr", "add", address + "/128", "dev", "lo", "nodad");
        addresses.add(address);
    }

    /**
     * Delays every packet on lo by {@code delay} (tc netem): a request and its answer each cross it, so
     * one hop costs two delays, as on a network. Needs the kernel's sch_netem.
     */
    public void delay(Duration delay) {
        String micros = delay.toNanos() / 1000 + "us";
        try {
            Commands.run("tc", "qdisc", "replace", "dev", "lo", "root", "netem", "delay", micros);
            delayed = true;
        } catch (CommandException e) {
            throw new LabException("--delay needs tc netem, which this kernel does not offer (" + e.getMessage()
                    + "); load the sch_netem module (Debian: linux-image-* ships it) or run without --delay", e);
        }
    }

    /** Leaves the namespace as the lab found it, so that another lab can start in it. */
    @Override
    public void close() {
        for (String address : addresses) {
            Commands.run("ip", "-6", "addr", "del", address + "/128", "dev", "lo");
        }
        addresses.clear();
        if (delayed) {
            Commands.run("tc", "qdisc", "del", "dev", "lo", "root");
            delayed = false;
        }
    }

    /** Parses a delay as written on the command line: 200us, 1ms, 0.5ms (at most 10 s). */
    public static Duration parseDelay(String text) {
        Matcher m = DELAY.matcher(text.strip());
        if (m.matches()) {
            double nanosPerUnit = switch (m.group(2)) {
                case "us" -> 1e3;
                case "ms" -> 1e6;
                default -> 1e9;
            };
            long nanos = Math.round(Double.parseDouble(m.group(1)) * nanosPerUnit);
            if (nanos <= Duration.ofSeconds(10).toNanos()) {
                return Duration.ofNanos(nanos);
            }
        }
        throw new IllegalArgumentException("invalid delay '" + text + "': write it like 200us, 1ms or 0.5ms (at most 10s)");
    }
}
