package io.nightshift.models.templates;

import java.io.Serializable;
import java.util.List;

/**
 * The per-message work of {@link TemplateMinerModel#transform}: mask, look the message up among the learned
 * templates. Serializable so one instance is broadcast to the executors; it holds no Spark state.
 *
 * <p>Contract of {@link #assign}: a message covered by a learned template ({@link TemplateIndex}) gets that template's
 * id and text and {@code isNew = false}. Any other message gets its own masked text, with every token that holds a
 * digit wildcarded, as template, the id of that text and {@code isNew = true}; the id is therefore deterministic, and
 * unseen messages of one shape share it.
 */
public final class TemplateAssigner implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The outcome for one message. */
    public record Assignment(String templateId, String template, boolean isNew) {
    }

    private final ParameterMasker masker;
    private final TemplateIndex index;

    /** @param templates the learned templates, most frequent first (the model's order) */
    public TemplateAssigner(ParameterMasker masker, List<MinedTemplate> templates) {
        this.masker = masker;
        this.index = new TemplateIndex(templates);
    }

    /** The assignment of one raw message; {@code null} for a {@code null} message. */
    public Assignment assign(String message) {
        if (message == null) {
            return null;
        }
        String[] tokens = masker.maskedTokens(message);
        MinedTemplate learned = index.match(tokens);
        if (learned != null) {
            return new Assignment(learned.templateId(), learned.template(), false);
        }
        // An unseen message has no group to tell its variables, so apply Drain's own heuristic here: a token that
        // contains a digit is a parameter. Lines of one new message shape then share one new template id.
        StringBuilder own = new StringBuilder(message.length());
        boolean afterWildcard = false;
        for (String token : tokens) {
            boolean wildcard = MinedTemplate.WILDCARD.equals(token) || ParameterMasker.containsDigit(token);
            if (wildcard && afterWildcard) {
                continue;
            }
            own.append(own.length() == 0 ? "" : " ").append(wildcard ? MinedTemplate.WILDCARD : token);
            afterWildcard = wildcard;
        }
        String text = own.toString();
        return new Assignment(MinedTemplate.idOf(text), text, true);
    }
}
