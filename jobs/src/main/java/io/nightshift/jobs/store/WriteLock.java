package io.nightshift.jobs.store;

import java.util.Optional;

/**
 * The one-writer-at-a-time lock of a warehouse, held while a command writes nightly tables: a lock file beside the
 * tables ({@link WarehouseLock}) or a row in the JDBC catalog's database ({@link DatabaseLock}). Both write a heartbeat
 * while held, and a lock whose holder is gone (same host) or whose heartbeat stopped is taken over by exactly one
 * contender.
 */
public interface WriteLock extends AutoCloseable {

    /** The lock this run replaced, when it took over a crashed run's lock; empty otherwise. */
    Optional<String> tookOverFrom();

    /** Releases the lock (only if this run still holds it). */
    @Override
    void close();

    /** No lock: for a scheduler that guarantees a single writer itself ({@code warehouse.lock: none}). */
    static WriteLock none() {
        return new WriteLock() {
            @Override
            public Optional<String> tookOverFrom() {
                return Optional.empty();
            }

            @Override
            public void close() {
            }
        };
    }
}
