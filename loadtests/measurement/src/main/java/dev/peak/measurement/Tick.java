package dev.peak.measurement;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One second of a generator's run, as it goes: the requests of every kind that ended in it. The driver shows them
 * as progress and keeps them as the timelines of fault runs.
 *
 * @param second  seconds since the generator started, the first one 0
 * @param level   the level being offered, -1 before the first
 * @param rate    primary requests per second offered then
 * @param shed    of the {@code ko}, those a server refused for being overloaded ({@link Counts#shed()})
 * @param p99Ms   p99 of the primary call so far in the open window, 0 when none is open
 * @param cpuS    CPU seconds the generator process used in this second
 */
public record Tick(long second, long epochMs, int level, double rate, long ok, long ko, long shed, double p99Ms, double cpuS) {

    /**
     * Several generators' seconds as one series, added by wall-clock second (their starts differ by up to a
     * second or two), numbered from the earliest generator's first second.
     */
    public static List<Tick> merge(List<List<Tick>> series) {
        long first = series.stream().flatMap(List::stream).mapToLong(t -> t.epochMs() / 1000).min().orElse(0);
        TreeMap<Long, Tick> bySecond = new TreeMap<>();
        for (List<Tick> ticks : series) {
            for (Tick t : ticks) {
                long s = t.epochMs() / 1000 - first;
                bySecond.merge(s, new Tick(s, (first + s) * 1000, t.level(), t.rate(), t.ok(), t.ko(), t.shed(), t.p99Ms(), t.cpuS()),
                        (a, b) -> new Tick(s, a.epochMs(), Math.max(a.level(), b.level()), a.rate() + b.rate(),
                                a.ok() + b.ok(), a.ko() + b.ko(), a.shed() + b.shed(), Math.max(a.p99Ms(), b.p99Ms()), a.cpuS() + b.cpuS()));
            }
        }
        return new ArrayList<>(bySecond.values());
    }
}
