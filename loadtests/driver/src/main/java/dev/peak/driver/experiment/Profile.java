package dev.peak.driver.experiment;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How much to measure. Rates are requests per second per server: the staircase of n servers starts
 * at n × start and climbs by n × increment, so every server count reaches its limit in a few steps.
 *
 * @param servers       server counts, each measured for every variant
 * @param warmUp        an uncounted step before each staircase (servers start cold); zero for none
 * @param settle        the first seconds of every step, left out of its figures: the load generator is a
 *                      fresh JVM per step (Gatling exits when done) and compiles its hot paths then
 * @param stepDuration  the measured length of one constant-rate step, after settling
 * @param start         first step's rate, per server (requests/s)
 * @param increment     rate added per step, per server (requests/s)
 * @param maxSteps      steps before the staircase gives up climbing (a pass at the last one is reported as such)
 * @param confirm       a failing step is run again at the same rate and counts only if it fails again
 * @param refine        one more step halfway between the last pass and the first failure
 * @param faultServers  server count of the fault runs (0: none)
 * @param faultDuration length of one fault run; the fault happens at 40 % of it
 * @param everyVariantFaults every variant gets every fault that applies to it; else one run of each kind
 */
public record Profile(String name, List<Integer> servers, int repeats, Duration warmUp, Duration settle,
                      Duration stepDuration, double start, double increment, int maxSteps, boolean confirm,
                      boolean refine, int faultServers, Duration faultDuration, boolean everyVariantFaults) {

    /** ≤ 3 minutes after the build: every variant at 1 and 2 servers, one short step each, one fault of each kind. */
    public static final Profile SMOKE = new Profile("smoke", List.of(1, 2), 1,
            Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(3), 100, 100, 1, false,
            false, 2, Duration.ofSeconds(9), false);
    /** The default of make bench, ≤ 15 minutes on a 2-core machine. */
    public static final Profile QUICK = new Profile("quick", List.of(1, 2), 1,
            Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(5), 300, 300, 4, true,
            false, 2, Duration.ofSeconds(12), false);
    /** For a paper: three repeats, up to 4 servers, longer steps, every fault on every variant. */
    public static final Profile FULL = new Profile("full", List.of(1, 2, 4), 3,
            Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(20), 150, 100, 12, true,
            true, 2, Duration.ofSeconds(30), true);

    public static Profile of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "smoke" -> SMOKE;
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("unknown profile '" + name + "': use smoke, quick or full");
        };
    }
}
