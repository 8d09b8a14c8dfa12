package io.nightshift.jobs.store;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.spark.sql.SparkSession;

import io.nightshift.jobs.schema.ResultTable;

/**
 * Retries a write whose Iceberg commit lost a race with another writer. Iceberg retries plain metadata conflicts
 * itself ({@code commit.retry.num-retries}); what it cannot retry is a MERGE or overwrite whose validation found that
 * another commit touched the rows it read (a {@code ValidationException}), because the statement must be planned
 * again against the new snapshot. Analysts' commands and the nightly run commit to the same tables (incidents,
 * incident_actions, triage) at any time, so every row-level write goes through here: refresh, replan, commit.
 */
final class CommitRetry {
    static final int MAX_ATTEMPTS = 12;
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 4_000;

    private final SparkSession spark;
    private final Function<ResultTable, String> fullName;
    private final AtomicLong retries = new AtomicLong();

    CommitRetry(SparkSession spark, Function<ResultTable, String> fullName) {
        this.spark = spark;
        this.fullName = fullName;
    }

    void run(ResultTable table, Runnable write) {
        long backoff = FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (RuntimeException e) {
                if (!isConflict(e) || attempt >= MAX_ATTEMPTS) {
                    if (isConflict(e)) {
                        throw new IllegalStateException("commit to " + fullName.apply(table) + " still conflicted with "
                                + "other writers after " + attempt + " attempts: " + e.getMessage(), e);
                    }
                    throw e;
                }
                retries.incrementAndGet();
                System.err.println("nightshift: commit to " + fullName.apply(table) + " lost a race with another "
                        + "writer; planning it again (attempt " + (attempt + 1) + " of " + MAX_ATTEMPTS + ")");
                sleep(backoff + ThreadLocalRandom.current().nextLong(backoff));
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                // The next attempt must plan against the snapshot that won, not the cached one.
                spark.sql("REFRESH TABLE " + fullName.apply(table));
            }
        }
    }

    long retries() {
        return retries.get();
    }

    /** A lost commit race, however deeply Spark wrapped it. */
    static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.equals("org.apache.iceberg.exceptions.CommitFailedException")) {
                return true;
            }
            // ValidationException also reports plain mistakes (a bad schema); only the concurrent-commit checks
            // ("Found conflicting files", "Missing required files to delete") are worth another attempt.
            if (name.equals("org.apache.iceberg.exceptions.ValidationException") && t.getMessage() != null
                    && (t.getMessage().contains("onflicting") || t.getMessage().contains("Missing required files"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a commit", e);
        }
    }
}
