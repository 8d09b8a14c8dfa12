package io.nightshift.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.cli.NightshiftCli;

class WarehouseLockTest {
    private static final Configuration HADOOP = new Configuration();
    private static final Duration STALE_AFTER = Duration.ofMinutes(5);

    private static WarehouseLock acquire(Path warehouse, String command) {
        return WarehouseLock.acquire(warehouse.toString(), HADOOP, command, STALE_AFTER);
    }

    private static void writeLock(Path warehouse, String host, long pid, Instant heartbeat) throws Exception {
        Files.writeString(warehouse.resolve(WarehouseLock.FILE_NAME), String.join("\n", "lock_id=old-run",
                "command=run 2026-11-20", "host=" + host, "pid=" + pid, "started_at=" + heartbeat,
                "heartbeat_at=" + heartbeat, ""));
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static String thisHost() throws Exception {
        return java.net.InetAddress.getLocalHost().getHostName();
    }

    @Test
    void aLiveHolderKeepsOthersOutUntilItReleases(@TempDir Path warehouse) {
        try (WarehouseLock held = acquire(warehouse, "run 2026-11-20")) {
            assertThat(held.tookOverFrom()).isEmpty();
            assertThatThrownBy(() -> acquire(warehouse, "backfill 2026-11-01..2026-11-20"))
                    .isInstanceOf(WarehouseLock.HeldException.class)
                    .hasMessageContaining("another run holds the warehouse write lock: 'run 2026-11-20' (pid "
                            + ProcessHandle.current().pid());
        }
        assertThat(warehouse.resolve(WarehouseLock.FILE_NAME)).doesNotExist();
        try (WarehouseLock again = acquire(warehouse, "backfill 2026-11-01..2026-11-20")) {
            assertThat(again.tookOverFrom()).isEmpty();
        }
    }

    @Test
    void releasingWhileAHeartbeatIsWritingLeavesNoLockBehind(@TempDir Path warehouse) throws Exception {
        // A heartbeat every millisecond: release nearly always meets one in progress. One that wrote after the
        // delete left a lock file nobody held, and the next run exited with "lock held".
        for (int i = 0; i < 200; i++) {
            WarehouseLock lock = WarehouseLock.acquire(warehouse.toString(), HADOOP, "run " + i, STALE_AFTER,
                    java.time.Clock.systemUTC(), Duration.ofMillis(1));
            Thread.sleep(i % 3);
            lock.close();
            assertThat(warehouse.resolve(WarehouseLock.FILE_NAME)).as("after release %d", i).doesNotExist();
        }
        Thread.sleep(20);
        assertThat(warehouse.resolve(WarehouseLock.FILE_NAME)).doesNotExist();
    }

    @Test
    void theLockOfACrashedRunOnThisHostIsTakenOverAtOnce(@TempDir Path warehouse) throws Exception {
        writeLock(warehouse, thisHost(), deadPid(), Instant.now());
        try (WarehouseLock lock = acquire(warehouse, "run 2026-11-21")) {
            assertThat(lock.tookOverFrom()).hasValueSatisfying(v -> assertThat(v).contains("'run 2026-11-20'"));
            assertThat(Files.readString(warehouse.resolve(WarehouseLock.FILE_NAME))).contains("command=run 2026-11-21");
        }
        try (var files = Files.list(warehouse)) {
            assertThat(files).as("the stale lock renamed aside is gone").isEmpty();
        }
    }

    @Test
    void aLockFromAnotherHostIsStaleOnlyAfterItsHeartbeatStops(@TempDir Path warehouse) throws Exception {
        writeLock(warehouse, "another-host.example", 4242, Instant.now().minusSeconds(60));
        assertThatThrownBy(() -> acquire(warehouse, "run 2026-11-21"))
                .isInstanceOf(WarehouseLock.HeldException.class)
                .hasMessageContaining("pid 4242 on another-host.example");

        writeLock(warehouse, "another-host.example", 4242, Instant.now().minus(STALE_AFTER).minusSeconds(1));
        try (WarehouseLock lock = acquire(warehouse, "run 2026-11-21")) {
            assertThat(lock.tookOverFrom()).isPresent();
        }
    }

    @Test
    void aHalfWrittenLockCountsAsHeldUntilItIsOld(@TempDir Path warehouse) throws Exception {
        Path file = Files.writeString(warehouse.resolve(WarehouseLock.FILE_NAME), "lock_id=cut-sh");
        assertThatThrownBy(() -> acquire(warehouse, "run 2026-11-21"))
                .isInstanceOf(WarehouseLock.HeldException.class).hasMessageContaining("unreadable lock file");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        try (WarehouseLock lock = acquire(warehouse, "run 2026-11-21")) {
            assertThat(lock.tookOverFrom()).isPresent();
        }
    }

    @org.junit.jupiter.api.RepeatedTest(15)
    void ofManyContendersForAStaleLockExactlyOneWins(@TempDir Path warehouse) throws Exception {
        writeLock(warehouse, thisHost(), deadPid(), Instant.now());
        List<WarehouseLock> winners = LockContenders.winners(8, i -> () -> acquire(warehouse, "run #" + i));
        assertThat(winners).hasSize(1);
        winners.get(0).close();
    }

    @Test
    void runExitsWithLockHeldWhileAnotherRunWritesTheWarehouse(@TempDir Path dir) throws Exception {
        TestSpark.session();
        Path lake = Files.createDirectories(dir.resolve("lake"));
        Path config = Files.writeString(dir.resolve("nightshift.yaml"), String.join("\n",
                "lake: {root: '" + lake + "'}",
                "warehouse: {path: '" + TestSpark.warehouse() + "', catalog: " + TestSpark.CATALOG
                        + ", namespace: " + TestSpark.freshWarehouse().namespace() + "}", ""));
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (WarehouseLock held = acquire(TestSpark.warehouse(), "backfill 2026-11-01..2026-11-20")) {
            assertThat(NightshiftCli.execute("run", "--date", "2026-11-20", "--config", config.toString()))
                    .isEqualTo(ExitCodes.LOCK_HELD);
        } finally {
            System.setErr(savedErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("nightshift: another run holds the warehouse write lock: 'backfill 2026-11-01..2026-11-20'");
    }
}
