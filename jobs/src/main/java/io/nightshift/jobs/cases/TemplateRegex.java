package io.nightshift.jobs.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A mined log template as a regular expression over the raw message: the template's fixed tokens literally, each
 * {@code <*>} parameter as a run of non-space characters, tokens separated by any whitespace. The miner joins tokens
 * with single spaces and replaces whole tokens (or parts of them) by {@code <*>}, so every message the template was
 * mined from matches the expression.
 */
final class TemplateRegex {
    static final String WILDCARD = "<*>";

    private TemplateRegex() {
    }

    static String of(String template) {
        List<String> tokens = new ArrayList<>();
        for (String token : template.trim().split("\\s+")) {
            tokens.add(token(token));
        }
        return String.join("\\s+", tokens);
    }

    private static String token(String token) {
        if (!token.contains(WILDCARD)) {
            return Pattern.quote(token);
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (int at = token.indexOf(WILDCARD); at >= 0; at = token.indexOf(WILDCARD, from)) {
            if (at > from) {
                sb.append(Pattern.quote(token.substring(from, at)));
            }
            sb.append("\\S+");
            from = at + WILDCARD.length();
        }
        if (from < token.length()) {
            sb.append(Pattern.quote(token.substring(from)));
        }
        return sb.toString();
    }
}
