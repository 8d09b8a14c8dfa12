package io.nightshift.models.templates;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * The per-message work of {@link TemplateMinerModel#transform}: mask, tokenize, look the message up among the learned
 * templates. Serializable so one instance is broadcast to the executors; it holds no Spark state.
 *
 * <p>Contract of {@link #assign}: a message covered by (or, failing that, similar enough to) a learned template gets
 * that template's id and text and {@code isNew = false}. Any other message gets its own masked text as template, the
 * id of that text and {@code isNew = true}; the id is therefore deterministic, and equal unseen messages share it.
 */
public final class TemplateAssigner implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The outcome for one message. */
    public record Assignment(String templateId, String template, boolean isNew) {
    }

    private final ParameterMasker masker;
    private final DrainTree tree;

    public TemplateAssigner(ParameterMasker masker, List<MinedTemplate> templates, int depth, int maxChildren,
                            double similarityThreshold) {
        this.masker = masker;
        this.tree = DrainTree.ofTemplates(templates, depth, maxChildren, similarityThreshold);
    }

    /** The assignment of one raw message; {@code null} for a {@code null} message. */
    public Assignment assign(String message) {
        if (message == null) {
            return null;
        }
        String[] tokens = DrainTree.tokenize(masker.mask(message));
        Optional<DrainTree.Match> match = tree.match(tokens);
        if (match.isPresent()) {
            DrainTree.Cluster cluster = match.get().cluster();
            return new Assignment(cluster.id(), cluster.text(), false);
        }
        String own = String.join(" ", tokens);
        return new Assignment(MinedTemplate.idOf(own), own, true);
    }
}
