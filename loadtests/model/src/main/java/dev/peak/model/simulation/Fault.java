package dev.peak.model.simulation;

/**
 * Something that happens to the system at {@code atS} seconds into the simulation.
 *
 * @param target the server (0-based index of the entry service's instances) or DNS replica it happens to
 */
public record Fault(Kind kind, double atS, int target) {

    public enum Kind {
        /** SIGKILL of a server of the entry service: its requests in progress fail, its port refuses connections. */
        KILL_SERVER,
        /** The killed server is back: health checks see it after rise probes. */
        RESTART_SERVER,
        /** A peak-dns replica stops answering: resolvers time out on it and ask the next. */
        KILL_DNS_REPLICA
    }

    public Fault {
        if (!(atS >= 0) || target < 0) {
            throw new IllegalArgumentException("a fault needs a time >= 0 and a target >= 0");
        }
    }
}
