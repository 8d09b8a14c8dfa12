package io.nightshift.models.templates;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Grouping accuracy, the metric of the log-parsing benchmarks (Zhu et al., ICSE-SEIP 2019; logpai/logparser): a line
 * is parsed correctly only if the set of lines sharing its mined template equals exactly the set of lines sharing its
 * ground-truth event; accuracy is the share of correct lines. A template that merges two events, or an event split
 * over two templates, makes all of the lines involved wrong.
 */
public final class GroupingAccuracy {

    private GroupingAccuracy() {
    }

    /**
     * @param truth     ground-truth event id per line
     * @param predicted mined template id per line, same order and length as {@code truth}
     * @return correct lines / all lines, in [0, 1]; 1.0 for no lines
     */
    public static double of(List<String> truth, List<String> predicted) {
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException(String.format(
                    "Ground truth has %d lines but the prediction has %d; both must describe the same lines.",
                    truth.size(), predicted.size()));
        }
        if (truth.isEmpty()) {
            return 1.0;
        }
        Map<String, Integer> truthSizes = new HashMap<>();
        truth.forEach(event -> truthSizes.merge(event, 1, Integer::sum));
        Map<String, List<Integer>> linesByTemplate = new HashMap<>();
        for (int line = 0; line < predicted.size(); line++) {
            linesByTemplate.computeIfAbsent(predicted.get(line), key -> new ArrayList<>()).add(line);
        }
        long correct = 0;
        for (List<Integer> lines : linesByTemplate.values()) {
            Set<String> events = new HashSet<>();
            lines.forEach(line -> events.add(truth.get(line)));
            if (events.size() == 1 && truthSizes.get(events.iterator().next()) == lines.size()) {
                correct += lines.size();
            }
        }
        return (double) correct / truth.size();
    }
}
