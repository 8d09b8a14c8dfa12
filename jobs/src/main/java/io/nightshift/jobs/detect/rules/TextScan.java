package io.nightshift.jobs.detect.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.api.java.UDF1;

/**
 * Many {@link TextMatch} tests of one field as one Java function per row: bit {@code i} of the result is test
 * {@code i}'s outcome (null for a null text, as each test gives).
 *
 * <p>Why: a catalog tests the message a dozen times (each regex rule, each Sigma {@code |contains}); each test alone
 * decodes the text from Spark's bytes into a Java string and scans it for its literals, and over a 10.6M-row day that
 * was most of the rules' pass. Here the text is decoded once, and one scan looks for the case-folded literals of all
 * the tests together (a table says which characters, and which pairs of characters, begin some literal); only a test
 * whose literal was found runs its regular expressions.
 *
 * <p>Contract: bit {@code i} equals {@code tests[i].call(text)} for every text. Tests that look for their literals
 * otherwise (case kept; {@code contains} on a non-ASCII text, which Spark's {@code lower} maps) do so themselves.
 */
final class TextScan implements UDF1<String, Long>, Serializable {
    private static final long serialVersionUID = 1L;

    /** Tests per scan: the bits of a long (the sign bit left alone). */
    static final int MAX_TESTS = 63;

    private final TextMatch[] tests;
    /** Tests with no literal to look for: every text is a candidate. */
    private final long withoutLiterals;
    /** Tests with literals to look for, by the shared scan or by themselves. */
    private final long withLiterals;
    /** Tests whose literals the shared scan looks for when the text is ASCII, and whatever the text is. */
    private final long scannedWhenAscii;
    private final long scannedAlways;
    private final boolean asciiMatters;

    /** Per ASCII character, the literals beginning with it and the test each belongs to. */
    private final char[][][] literalsByFirst = new char[128][][];
    private final int[][] testsByFirst = new int[128][];
    /** Literals beginning with a non-ASCII character. */
    private final char[][] otherLiterals;
    private final int[] otherTests;
    private final LiteralStarts starts;

    TextScan(List<TextMatch> tests) {
        if (tests.isEmpty() || tests.size() > MAX_TESTS) {
            throw new IllegalArgumentException("a text scan holds 1 to " + MAX_TESTS + " tests, got " + tests.size());
        }
        this.tests = tests.toArray(TextMatch[]::new);
        long none = 0;
        long ascii = 0;
        long always = 0;
        boolean dependsOnAscii = false;
        List<List<char[]>> byFirst = new ArrayList<>();
        List<List<Integer>> ownersByFirst = new ArrayList<>();
        for (int c = 0; c < 128; c++) {
            byFirst.add(new ArrayList<>());
            ownersByFirst.add(new ArrayList<>());
        }
        List<char[]> other = new ArrayList<>();
        List<Integer> otherOwners = new ArrayList<>();
        List<char[]> all = new ArrayList<>();
        for (int i = 0; i < this.tests.length; i++) {
            TextMatch t = this.tests[i];
            if (t.literalChars() == null) {
                none |= 1L << i;
                continue;
            }
            if (!t.scansFoldedLiterals()) {
                continue;
            }
            if (t.literalScanDependsOnAscii()) {
                ascii |= 1L << i;
                dependsOnAscii = true;
            } else {
                always |= 1L << i;
            }
            for (char[] literal : t.literalChars()) {
                all.add(literal);
                char first = literal[0];
                if (first >= 128) {
                    other.add(literal);
                    otherOwners.add(i);
                } else {
                    byFirst.get(first).add(literal);
                    ownersByFirst.get(first).add(i);
                }
            }
        }
        for (int c = 0; c < 128; c++) {
            if (!byFirst.get(c).isEmpty()) {
                literalsByFirst[c] = byFirst.get(c).toArray(char[][]::new);
                testsByFirst[c] = ownersByFirst.get(c).stream().mapToInt(Integer::intValue).toArray();
            }
        }
        this.starts = new LiteralStarts(all);
        this.otherLiterals = other.toArray(char[][]::new);
        this.otherTests = otherOwners.stream().mapToInt(Integer::intValue).toArray();
        this.withoutLiterals = none;
        this.withLiterals = ~none & (-1L >>> (64 - this.tests.length));
        this.scannedWhenAscii = ascii;
        this.scannedAlways = always;
        this.asciiMatters = dependsOnAscii;
    }

    @Override
    public Long call(String text) {
        if (text == null) {
            return null;
        }
        boolean ascii = !asciiMatters || TextMatch.ascii(text);
        long scanned = ascii ? scannedAlways | scannedWhenAscii : scannedAlways;
        long candidates = withoutLiterals;
        for (long own = withLiterals & ~scanned; own != 0; own &= own - 1) {
            int i = Long.numberOfTrailingZeros(own);
            if (tests[i].hasLiteral(text)) {
                candidates |= 1L << i;
            }
        }
        if (scanned != 0) {
            candidates |= foundLiterals(text, scanned);
        }
        long result = 0;
        for (long left = candidates; left != 0; left &= left - 1) {
            int i = Long.numberOfTrailingZeros(left);
            if (tests[i].confirms(text)) {
                result |= 1L << i;
            }
        }
        return result;
    }

    /** The tests among {@code wanted} one of whose literals the text contains, its ASCII capitals read as small. */
    private long foundLiterals(String text, long wanted) {
        long found = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = TextMatch.fold(text.charAt(i));
            if (!starts.mayBeginAt(text, i, c)) {
                continue;
            }
            char[][] literals = c < 128 ? literalsByFirst[c] : otherLiterals;
            int[] owners = c < 128 ? testsByFirst[c] : otherTests;
            for (int k = 0; k < literals.length; k++) {
                long bit = 1L << owners[k];
                char[] literal = literals[k];
                if ((found & bit) == 0 && (wanted & bit) != 0 && literal[0] == c && i + literal.length <= n
                        && TextMatch.foldedAt(text, i, literal)) {
                    found |= bit;
                    if ((found & wanted) == wanted) {
                        return found;
                    }
                }
            }
        }
        return found;
    }
}
