package io.nightshift.jobs.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Contenders for one lock, released at the same instant: which of them got it. */
final class LockContenders {
    private LockContenders() {
    }

    /**
     * Runs {@code count} attempts at once; an attempt that finds the lock held ({@link WarehouseLock.HeldException})
     * loses.
     *
     * @param attempt contender number to its attempt
     * @return the locks the winners hold
     */
    static <L> List<L> winners(int count, IntFunction<Callable<L>> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<L>> attempts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Callable<L> mine = attempt.apply(i);
            attempts.add(pool.submit(() -> {
                start.await();
                try {
                    return mine.call();
                } catch (WarehouseLock.HeldException e) {
                    return null;
                }
            }));
        }
        start.countDown();
        List<L> winners = new ArrayList<>();
        for (Future<L> a : attempts) {
            if (a.get() != null) {
                winners.add(a.get());
            }
        }
        pool.shutdown();
        return winners;
    }
}
