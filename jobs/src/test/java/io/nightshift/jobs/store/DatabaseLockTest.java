package io.nightshift.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import io.nightshift.jobs.ObjectStoreServers;
import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.NightshiftConfig.LockMode;
import io.nightshift.jobs.config.NightshiftConfig.WarehouseConfig;

/** The write lock kept in the JDBC catalog's database, on a real PostgreSQL started by scripts/objectstore-up. */
class DatabaseLockTest {
    private static final Duration STALE_AFTER = Duration.ofMinutes(5);
    static DatabaseLock.Connector db;

    @BeforeAll
    static void postgres() {
        Map<String, String> s = ObjectStoreServers.up();
        db = new DatabaseLock.Connector(s.get("NIGHTSHIFT_JDBC_URI"), s.get("NIGHTSHIFT_JDBC_USER"),
                s.get("NIGHTSHIFT_JDBC_PASSWORD"));
    }

    private static String warehouse() {
        return "s3a://nightshift/test-" + UUID.randomUUID();
    }

    private static void staleRow(String key, String host, long pid, Instant heartbeat) throws Exception {
        DatabaseLock.acquire(db, "s3a://nightshift/table-exists", "create the table", STALE_AFTER).close();
        try (Connection c = db.open(); PreparedStatement s = c.prepareStatement("INSERT INTO "
                + DatabaseLock.TABLE + " VALUES (?, 'old-run', 'run 2026-11-20', ?, ?, ?, ?)")) {
            s.setString(1, key);
            s.setString(2, host);
            s.setLong(3, pid);
            s.setTimestamp(4, Timestamp.from(heartbeat));
            s.setTimestamp(5, Timestamp.from(heartbeat));
            s.executeUpdate();
        }
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void aLiveHolderKeepsOthersOutUntilItReleases() {
        String key = warehouse();
        DatabaseLock first = DatabaseLock.acquire(db, key, "run 2026-11-21", STALE_AFTER);
        assertThatThrownBy(() -> DatabaseLock.acquire(db, key, "backfill", STALE_AFTER))
                .isInstanceOf(WarehouseLock.HeldException.class)
                .hasMessageContaining("'run 2026-11-21' (pid " + ProcessHandle.current().pid())
                .hasMessageContaining("row '" + key + "' of " + DatabaseLock.TABLE);
        assertThat(DatabaseLock.acquire(db, warehouse(), "another warehouse", STALE_AFTER).tookOverFrom()).isEmpty();
        first.close();
        try (DatabaseLock second = DatabaseLock.acquire(db, key, "backfill", STALE_AFTER)) {
            assertThat(second.tookOverFrom()).isEmpty();
        }
    }

    @Test
    void aRowFromAnotherHostIsStaleOnlyAfterItsHeartbeatStops() throws Exception {
        String recent = warehouse();
        staleRow(recent, "other-host", 1, Instant.now().minusSeconds(60));
        assertThatThrownBy(() -> DatabaseLock.acquire(db, recent, "run", STALE_AFTER))
                .isInstanceOf(WarehouseLock.HeldException.class);
        String old = warehouse();
        staleRow(old, "other-host", 1, Instant.now().minus(Duration.ofMinutes(6)));
        try (DatabaseLock lock = DatabaseLock.acquire(db, old, "run", STALE_AFTER)) {
            assertThat(lock.tookOverFrom()).hasValueSatisfying(v -> assertThat(v).contains("other-host"));
        }
    }

    @RepeatedTest(15)
    void ofManyContendersForAStaleRowExactlyOneWins() throws Exception {
        String key = warehouse();
        staleRow(key, WarehouseLock.host(), deadPid(), Instant.now());
        List<DatabaseLock> winners = LockContenders.winners(8,
                i -> () -> DatabaseLock.acquire(db, key, "run #" + i, STALE_AFTER));
        assertThat(winners).hasSize(1);
        winners.get(0).close();
    }

    @Test
    void theWarehousesCatalogChoosesWhereTheLockIsKept() {
        Location bucket = Location.of("s3a://nightshift/wh-" + UUID.randomUUID(), Path.of("/"));
        Map<String, String> jdbc = Map.of("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog", "uri", db.uri(),
                "jdbc.user", db.user(), "jdbc.password", db.password());
        try (WriteLock lock = WriteLocks.acquire(new WarehouseConfig(bucket, "c", "n", jdbc), new Configuration(),
                "run", STALE_AFTER)) {
            assertThat(lock).isInstanceOf(DatabaseLock.class);
            assertThatThrownBy(() -> DatabaseLock.acquire(db, bucket.value(), "other", STALE_AFTER))
                    .isInstanceOf(WarehouseLock.HeldException.class);
        }
        Map<String, String> rest = Map.of("type", "rest", "uri", "http://127.0.0.1:1");
        assertThatThrownBy(() -> WriteLocks.acquire(new WarehouseConfig(bucket, "c", "n", rest), new Configuration(),
                "run", STALE_AFTER)).isInstanceOf(NightshiftException.class)
                .hasMessageContaining("warehouse.lock: none")
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_CONFIG));
        assertThat(WriteLocks.acquire(new WarehouseConfig(bucket, "c", "n", rest, false, LockMode.NONE),
                new Configuration(), "run", STALE_AFTER).tookOverFrom()).isEmpty();
        assertThatThrownBy(() -> WriteLocks.acquire(new WarehouseConfig(bucket, "c", "n", rest, false,
                LockMode.DATABASE), new Configuration(), "run", STALE_AFTER))
                .hasMessageContaining("warehouse.lock: database needs the JDBC catalog");
    }
}
