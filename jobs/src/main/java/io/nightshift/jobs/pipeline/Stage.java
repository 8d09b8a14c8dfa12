package io.nightshift.jobs.pipeline;

/**
 * One step of the nightly run. A stage reads the day's canonical rows (and, through the store, earlier days'
 * results) and adds its results to {@link StagedOutputs}; it never writes a table itself, so a failing stage
 * leaves nothing behind.
 */
public interface Stage {
    String name();

    void run(StageContext context);
}
