package io.nightshift.jobs.detect.rules;

/**
 * A problem in one part of a rule file, at a line. Parsers throw it for the part they are reading; the loader turns
 * it into a {@link RuleValidationError} with the file and the rule id, and carries on with the next part.
 */
public final class RuleSyntaxException extends RuntimeException {
    private final int line;

    public RuleSyntaxException(int line, String reason) {
        super(reason);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
