package io.nightshift.jobs.detect.rules;

import java.io.Serializable;
import java.util.List;

/**
 * Which characters, and which ASCII pairs of characters, begin one of a set of literals (case-folded ones: see
 * {@link TextMatch#fold}). A scan of a text asks {@link #mayBeginAt} at each position: most characters begin no
 * literal, or none together with the character after them, and a table look-up says so before any literal is
 * compared.
 */
final class LiteralStarts implements Serializable {
    private static final long serialVersionUID = 1L;

    private final boolean[] asciiFirst = new boolean[128];
    /** Characters all of whose literals begin with an ASCII pair: the pair is looked up too. */
    private final boolean[] pairsOnly = new boolean[128];
    /** The ASCII pairs that begin a literal, bit {@code 128 * first + second}. */
    private final long[] firstPairs = new long[128 * 128 / 64];
    private final boolean otherFirst;

    LiteralStarts(List<char[]> literals) {
        boolean other = false;
        boolean[] unpaired = new boolean[128];
        for (char[] literal : literals) {
            char first = literal[0];
            if (first >= 128) {
                other = true;
                continue;
            }
            asciiFirst[first] = true;
            if (literal.length > 1 && literal[1] < 128) {
                int pair = first * 128 + literal[1];
                firstPairs[pair >>> 6] |= 1L << pair;
            } else {
                unpaired[first] = true;
            }
        }
        for (int c = 0; c < 128; c++) {
            pairsOnly[c] = asciiFirst[c] && !unpaired[c];
        }
        this.otherFirst = other;
    }

    /** Whether some literal may begin at {@code i} of {@code text}, whose character there, folded, is {@code c}. */
    boolean mayBeginAt(String text, int i, char c) {
        if (c >= 128) {
            return otherFirst;
        }
        if (!asciiFirst[c]) {
            return false;
        }
        if (!pairsOnly[c]) {
            return true;
        }
        char next = i + 1 < text.length() ? TextMatch.fold(text.charAt(i + 1)) : 128;
        int pair = c * 128 + next;
        return next < 128 && (firstPairs[pair >>> 6] & (1L << pair)) != 0;
    }
}
