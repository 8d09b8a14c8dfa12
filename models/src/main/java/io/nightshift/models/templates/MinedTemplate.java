package io.nightshift.models.templates;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One learned log template: its stable id, its text (tokens joined by single spaces, wildcards as {@code <*>}), how
 * many training messages it absorbed, and its token count.
 *
 * @param templateId {@link #idOf(String)} of {@code template}
 * @param template   the template text
 * @param count      training messages (after sampling) that this template absorbed
 * @param tokenCount number of whitespace-separated tokens: a template matches messages of this many tokens
 */
public record MinedTemplate(String templateId, String template, long count, int tokenCount) implements Serializable {

    /** The variable token of a template, and the mask that replaces a variable in a message. */
    public static final String WILDCARD = "<*>";

    /** Length of a template id in hex characters (64 bits of SHA-256). */
    public static final int ID_HEX_LENGTH = 16;

    /** A template with its id derived from its text. */
    public static MinedTemplate of(String template, long count) {
        return new MinedTemplate(idOf(template), template, count, tokenize(template).length);
    }

    /** Splits a message or template into whitespace-separated tokens, like Python's {@code str.split()}. */
    public static String[] tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                tokens.add(text.substring(start, i));
            }
        }
        return tokens.toArray(new String[0]);
    }

    /**
     * The stable id of a template text: the first {@value #ID_HEX_LENGTH} hex characters of its SHA-256 (UTF-8).
     * It depends on the text only, so the same template gets the same id across fits, runs and machines, and ids can
     * be joined with yesterday's {@code log_templates} table.
     */
    public static String idOf(String template) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(template.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, ID_HEX_LENGTH / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform but is missing", e);
        }
    }
}
