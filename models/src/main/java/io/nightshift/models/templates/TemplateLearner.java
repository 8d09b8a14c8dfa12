package io.nightshift.models.templates;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Learns templates from masked messages by how the tokens at each position vary, with one setting for every source.
 *
 * <p>Three steps, after {@link ParameterMasker} has masked the values it recognises:
 * <ol>
 *   <li><b>Length.</b> Messages of one template have the same number of tokens once runs of masks are collapsed, so
 *   messages are grouped by token count first.</li>
 *   <li><b>Anchor</b> (the "longest common pattern" of Brain, Yu et al., 2023). Each token is counted at its position
 *   over the group (occurrences, masks excepted). The words of one logging statement occur together, so they share
 *   one count: a message's anchor is the set of its tokens at the count shared by most of its tokens, ties to the
 *   higher count, plus its tokens that are more frequent still (words shared with other statements). Messages with
 *   the same anchor form one group.</li>
 *   <li><b>Positions.</b> Within a group, a position is a <em>variable</em> when one of its values holds a mask the
 *   masker put there (a value that is sometimes recognisable, such as a host that is sometimes an address, is a value
 *   everywhere; a masked {@code key=<*>} value does not count, its key is a constant), or when it takes at least
 *   {@code minVariableValues} distinct values; the first position needs twice as many (messages start with their
 *   event's words, the observation behind Drain's prefix tree). A position with fewer distinct values holds constants
 *   that tell templates apart: the group is split by the position with the fewest values and each part is looked at
 *   again. A part whose remaining positions are all constant or variable is a template.</li>
 * </ol>
 * So a rare line ({@code Connection reset by <*>} beside a thousand {@code Connection closed by <*>}) keeps its own
 * template, because its position has two values, and {@code Invalid user admin} joins {@code Invalid user <*>} once
 * the user position has taken several values. Messages whose templates come out equal share one template. The
 * result does not depend on the order of the input.
 */
final class TemplateLearner {

    /** A distinct masked message and how many messages it stands for. */
    record MaskedMessage(String[] tokens, long count) {
    }

    private final int minVariableValues;

    /** @param minVariableValues distinct values that make a position a variable (see the class doc), at least 2 */
    TemplateLearner(int minVariableValues) {
        if (minVariableValues < 2) {
            throw new IllegalArgumentException("minVariableValues must be >= 2, got " + minVariableValues);
        }
        this.minVariableValues = minVariableValues;
    }

    /**
     * Masks and counts raw messages, then learns from them: what {@link TemplateMiner#fit} does, in one thread
     * without Spark (for tests and for timing the per-line work).
     */
    static List<MinedTemplate> learnFromRaw(ParameterMasker masker, int minVariableValues, List<String> messages) {
        Map<String, Long> counts = new HashMap<>();
        for (String message : messages) {
            counts.merge(masker.mask(message), 1L, Long::sum);
        }
        List<MaskedMessage> distinct = new ArrayList<>(counts.size());
        counts.forEach((text, count) -> distinct.add(new MaskedMessage(MinedTemplate.tokenize(text), count)));
        return new TemplateLearner(minVariableValues).learn(distinct);
    }

    /** The templates of the messages, most frequent first, then by text. */
    List<MinedTemplate> learn(List<MaskedMessage> messages) {
        Map<Integer, List<MaskedMessage>> byLength = new TreeMap<>();
        for (MaskedMessage message : messages) {
            byLength.computeIfAbsent(message.tokens().length, n -> new ArrayList<>()).add(message);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (List<MaskedMessage> sameLength : byLength.values()) {
            for (List<MaskedMessage> group : anchorGroups(sameLength)) {
                split(group, counts);
            }
        }
        List<MinedTemplate> templates = new ArrayList<>(counts.size());
        counts.forEach((text, count) -> templates.add(MinedTemplate.of(text, count)));
        templates.sort(Comparator.comparingLong(MinedTemplate::count).reversed()
                .thenComparing(MinedTemplate::template));
        return templates;
    }

    /** Step 2: messages of one length grouped by their anchor tokens. */
    private static List<List<MaskedMessage>> anchorGroups(List<MaskedMessage> sameLength) {
        int length = sameLength.get(0).tokens().length;
        List<Map<String, Long>> frequency = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            frequency.add(new HashMap<>());
        }
        for (MaskedMessage message : sameLength) {
            for (int i = 0; i < length; i++) {
                if (!isMask(message.tokens()[i])) {
                    frequency.get(i).merge(message.tokens()[i], message.count(), Long::sum);
                }
            }
        }
        Map<String, List<MaskedMessage>> groups = new LinkedHashMap<>();
        long[] counts = new long[length];
        for (MaskedMessage message : sameLength) {
            Map<Long, Integer> tokensAtCount = new HashMap<>();
            for (int i = 0; i < length; i++) {
                String token = message.tokens()[i];
                counts[i] = isMask(token) ? 0 : frequency.get(i).get(token);
                if (counts[i] > 0) {
                    tokensAtCount.merge(counts[i], 1, Integer::sum);
                }
            }
            long anchorCount = Long.MAX_VALUE;
            int most = 0;
            for (Map.Entry<Long, Integer> level : tokensAtCount.entrySet()) {
                if (level.getValue() > most || level.getValue() == most && level.getKey() > anchorCount) {
                    anchorCount = level.getKey();
                    most = level.getValue();
                }
            }
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < length; i++) {
                if (counts[i] >= anchorCount) {
                    key.append(i).append('\u0001').append(message.tokens()[i]).append('\u0002');
                }
            }
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(message);
        }
        return new ArrayList<>(groups.values());
    }

    /** Step 3: splits a group by its constant positions until every position is constant or variable. */
    private void split(List<MaskedMessage> group, Map<String, Long> templates) {
        int length = group.get(0).tokens().length;
        String[] template = new String[length];
        int splitAt = -1;
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < length; i++) {
            Position position = Position.of(group, i, 2 * minVariableValues);
            if (position.values().size() == 1) {
                template[i] = position.values().iterator().next();
                continue;
            }
            template[i] = MinedTemplate.WILDCARD;
            boolean variable = position.masked()
                    || position.values().size() >= (i == 0 ? 2 * minVariableValues : minVariableValues);
            if (!variable && position.values().size() < fewest) {
                fewest = position.values().size();
                splitAt = i;
            }
        }
        if (splitAt < 0) {
            long count = 0;
            for (MaskedMessage message : group) {
                count += message.count();
            }
            templates.merge(String.join(" ", template), count, Long::sum);
            return;
        }
        Map<String, List<MaskedMessage>> parts = new LinkedHashMap<>();
        for (MaskedMessage message : group) {
            parts.computeIfAbsent(message.tokens()[splitAt], k -> new ArrayList<>()).add(message);
        }
        for (List<MaskedMessage> part : parts.values()) {
            split(part, templates);
        }
    }

    /**
     * What the values at one position of a group tell: up to {@code cap} distinct values (more are not needed to
     * decide) and whether any holds a mask outside a {@code key=<*>} value.
     */
    private record Position(Set<String> values, boolean masked) {
        static Position of(List<MaskedMessage> group, int i, int cap) {
            Set<String> values = new HashSet<>();
            boolean masked = false;
            for (MaskedMessage message : group) {
                String token = message.tokens()[i];
                if (values.size() < cap) {
                    values.add(token);
                }
                if (!masked && token.contains(MinedTemplate.WILDCARD)) {
                    masked = token.replace("=" + MinedTemplate.WILDCARD, "=").contains(MinedTemplate.WILDCARD);
                }
            }
            return new Position(values, masked);
        }
    }

    private static boolean isMask(String token) {
        return MinedTemplate.WILDCARD.equals(token);
    }
}
