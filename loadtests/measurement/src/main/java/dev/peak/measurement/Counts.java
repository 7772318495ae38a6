package dev.peak.measurement;

/**
 * Requests (or sessions) that ended well and those that did not.
 *
 * @param shed the failed ones a server refused at once for being overloaded (503 with its {@code overloaded} body),
 *             counted apart so that a step failing by shedding is told from one failing by timeouts; part of
 *             {@code ko}, and 0 in results written before servers could shed
 */
public record Counts(long ok, long ko, long shed) {

    public static final Counts NONE = new Counts(0, 0);

    public Counts {
        if (shed < 0 || shed > ko) {
            throw new IllegalArgumentException("shed (" + shed + ") must be within the failed requests (" + ko + ")");
        }
    }

    /** Counts where nothing was shed. */
    public Counts(long ok, long ko) {
        this(ok, ko, 0);
    }

    public long total() {
        return ok + ko;
    }

    /** The failed share; 0 when nothing ended. */
    public double errorRate() {
        return total() == 0 ? 0 : (double) ko / total();
    }

    public Counts plus(Counts other) {
        return new Counts(ok + other.ok, ko + other.ko, shed + other.shed);
    }
}
