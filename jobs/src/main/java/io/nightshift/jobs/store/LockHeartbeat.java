package io.nightshift.jobs.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The heartbeat a held write lock writes: one daemon thread running {@code beat} at a fixed rate until stopped. */
final class LockHeartbeat {
    private final ScheduledExecutorService executor;

    LockHeartbeat(Runnable beat, Duration every) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nightshift-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleAtFixedRate(beat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the heartbeat and waits for a beat in progress to finish: otherwise it could write the lock again after
     * the release deletes it (or, interrupted mid-write, leave it empty), and the next run would find a lock nobody
     * holds.
     */
    void stop() {
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
