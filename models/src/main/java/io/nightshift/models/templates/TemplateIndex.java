package io.nightshift.models.templates;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The learned templates, looked up by masked message: the template of a message is the most specific one that
 * <em>covers</em> it (same token count, equal on every position that is not {@code <*>}); ties go to the template
 * listed first (the more frequent). A message every template misses has none.
 *
 * <p>Why most specific: a constant position keeps templates apart ({@code Connection reset by <*>} beside
 * {@code Connection <*> by <*>} from another group), so a message goes to the template that names most of it. Read-only
 * after construction: safe to share between threads, and serializable so one copy is broadcast to the executors.
 */
final class TemplateIndex implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One template as the index checks it. */
    private record Entry(MinedTemplate template, String[] tokens, int constants, int rank) implements Serializable {
        /** Whether every constant position of the template equals the message's token. */
        boolean covers(String[] message) {
            for (int i = 0; i < tokens.length; i++) {
                String token = tokens[i];
                if (token != null && !token.equals(message[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Templates of one token count, by their first token ({@code null} key: templates starting with a variable). */
    private final Map<Integer, Map<String, List<Entry>>> byLengthAndFirst = new HashMap<>();

    /** @param templates in rank order: the first of equally specific covering templates wins */
    TemplateIndex(List<MinedTemplate> templates) {
        for (int rank = 0; rank < templates.size(); rank++) {
            MinedTemplate template = templates.get(rank);
            String[] tokens = MinedTemplate.tokenize(template.template());
            int constants = 0;
            for (int i = 0; i < tokens.length; i++) {
                if (MinedTemplate.WILDCARD.equals(tokens[i])) {
                    tokens[i] = null;
                } else {
                    constants++;
                }
            }
            String first = tokens.length == 0 ? null : tokens[0];
            byLengthAndFirst.computeIfAbsent(tokens.length, n -> new HashMap<>())
                    .computeIfAbsent(first, f -> new ArrayList<>())
                    .add(new Entry(template, tokens, constants, rank));
        }
    }

    /** The template of a masked, tokenized message, or null when no template covers it. */
    MinedTemplate match(String[] message) {
        Map<String, List<Entry>> byFirst = byLengthAndFirst.get(message.length);
        if (byFirst == null) {
            return null;
        }
        Entry best = message.length == 0 ? null : best(byFirst.get(message[0]), message, null);
        best = best(byFirst.get(null), message, best);
        return best == null ? null : best.template();
    }

    private static Entry best(List<Entry> candidates, String[] message, Entry best) {
        if (candidates == null) {
            return best;
        }
        for (Entry candidate : candidates) {
            boolean better = best == null || candidate.constants() > best.constants()
                    || candidate.constants() == best.constants() && candidate.rank() < best.rank();
            if (better && candidate.covers(message)) {
                best = candidate;
            }
        }
        return best;
    }
}
