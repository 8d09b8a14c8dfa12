package io.nightshift.jobs.cli;

import io.nightshift.jobs.base.SparkSessions;
import io.nightshift.jobs.base.StopRequest;

/**
 * Cancels the Spark jobs of this process when it is asked to stop. A class of its own so that {@link StopSignals},
 * installed by every command, does not load Spark's classes: a command that answers without Spark would otherwise pay
 * a second of class loading for a handler it never runs.
 */
final class SparkJobCancellation {
    private SparkJobCancellation() {
    }

    /** Cancels the running jobs and every job started from now on; nothing when this process never started Spark. */
    static void cancelRunningJobs(String reason) {
        if (!SparkSessions.started()) {
            return;
        }
        scala.Option<org.apache.spark.SparkContext> active = org.apache.spark.SparkContext$.MODULE$.getActive();
        if (active.isDefined()) {
            org.apache.spark.SparkContext spark = active.get();
            // Jobs started from now on are cancelled as they start (training a model runs hundreds), then the ones
            // running now; the jobs that record the stopped run's job_runs row are let through.
            spark.addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                    if (StopRequest.cancelsNewJobs()) {
                        spark.cancelJob(start.jobId(), reason);
                    }
                }
            });
            spark.cancelAllJobs();
        }
    }
}
