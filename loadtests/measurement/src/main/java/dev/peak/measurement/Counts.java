package dev.peak.measurement;

/** Requests (or sessions) that ended well and those that did not. */
public record Counts(long ok, long ko) {

    public static final Counts NONE = new Counts(0, 0);

    public long total() {
        return ok + ko;
    }

    /** The failed share; 0 when nothing ended. */
    public double errorRate() {
        return total() == 0 ? 0 : (double) ko / total();
    }

    public Counts plus(Counts other) {
        return new Counts(ok + other.ok, ko + other.ko);
    }
}
