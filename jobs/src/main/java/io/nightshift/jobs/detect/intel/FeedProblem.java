package io.nightshift.jobs.detect.intel;

/** A feed line or object that was skipped, with where it is and why: {@code FILE:LINE: reason}. */
public record FeedProblem(String file, int line, String reason) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
