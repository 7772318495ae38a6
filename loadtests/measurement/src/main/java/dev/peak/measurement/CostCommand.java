package dev.peak.measurement;

/**
 * The driver's order to a load generator to send every session that starts from now on with work cost {@code cost}
 * (chained SHA-256 rounds per request), one line on its standard input: {@code cost <rounds>}. One warm generator
 * then measures a variant at every cost of the profile.
 */
public record CostCommand(int cost) {

    private static final String KEYWORD = "cost";

    public CostCommand {
        if (cost < 0) {
            throw new IllegalArgumentException("a work cost is 0 or more rounds, not " + cost);
        }
    }

    public String toLine() {
        return KEYWORD + " " + cost;
    }

    /** Whether {@code line} is meant as a cost command (it may still be malformed). */
    public static boolean is(String line) {
        return line.strip().startsWith(KEYWORD + " ");
    }

    /** Reads {@link #toLine()}; the error says what a line must look like. */
    public static CostCommand parse(String line) {
        String[] words = line.strip().split("\\s+");
        if (words.length != 2 || !words[0].equals(KEYWORD)) {
            throw new IllegalArgumentException("not a cost command: '" + line + "' (expected: cost <rounds>)");
        }
        try {
            return new CostCommand(Integer.parseInt(words[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a cost command: '" + line + "' (" + e.getMessage() + ")", e);
        }
    }
}
