package io.nightshift.jobs.base;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A few tasks run side by side on daemon threads and awaited in the caller's order; what a task throws reaches the
 * caller as thrown. For driver-side work that mostly waits: Spark queries submitted from several threads, footer
 * reads on an object store.
 */
public final class SideBySide implements AutoCloseable {
    private final ExecutorService pool;
    private final String what;

    /**
     * @param threadName the threads' name
     * @param threads    at most this many tasks run at once (at least one)
     * @param what       what the tasks do together, for messages ("loading the model at ...")
     */
    public SideBySide(String threadName, int threads, String what) {
        this.what = what;
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    public <T> Future<T> submit(Callable<T> task) {
        return pool.submit(task);
    }

    /**
     * The task's value. An unchecked exception or error it threw is rethrown as it is (callers tell failures apart by
     * type); a checked one (Scala code throws them undeclared) is wrapped.
     */
    public <T> T await(Future<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Stops what is still running (a task failed and the caller gave up on the rest). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
