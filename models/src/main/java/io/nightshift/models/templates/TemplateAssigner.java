package io.nightshift.models.templates;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * The per-message work of {@link TemplateMinerModel#transform}: mask, tokenize, look the message up among the learned
 * templates. Serializable so one instance is broadcast to the executors; it holds no Spark state.
 *
 * <p>Contract of {@link #assign}: a message covered by (or, failing that, similar enough to) a learned template gets
 * that template's id and text and {@code isNew = false}. Any other message gets its own masked text, with every token
 * that holds a digit wildcarded, as template, the id of that text and {@code isNew = true}; the id is therefore
 * deterministic, and unseen messages of one shape share it.
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
        // An unseen message has no cluster to generalise it, so apply Drain's own heuristic here: a token that
        // contains a digit is a parameter. Lines of one new message shape then share one new template id.
        String[] generalised = new String[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            generalised[i] = hasDigit(tokens[i]) ? DrainTree.WILDCARD : tokens[i];
        }
        String own = String.join(" ", generalised);
        return new Assignment(MinedTemplate.idOf(own), own, true);
    }

    private static boolean hasDigit(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.isDigit(token.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
