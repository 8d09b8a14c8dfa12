package io.nightshift.jobs.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

import io.nightshift.jobs.store.WarehouseLock.HeldException;
import io.nightshift.jobs.store.WarehouseLock.Holder;

/**
 * The warehouse write lock as a row in the database of the JDBC catalog: where the warehouse is on an object store,
 * whose files cannot be created "only if absent" atomically, the database the catalog commits through can. One row
 * per warehouse in {@value #TABLE}, keyed by the catalog's warehouse location.
 *
 * <p>Taken by inserting the row (the primary key lets exactly one insert in); kept by updating its heartbeat; a stale
 * row (holder gone on this host, or heartbeat older than the stale-after period) is taken over by an update that
 * names the stale holder's lock id, which exactly one contender's update matches; released by deleting the row where
 * it is still ours. Every statement commits on its own, on a connection opened for it: a database restart between two
 * heartbeats costs a heartbeat, not the lock.
 */
public final class DatabaseLock implements WriteLock {
    public static final String TABLE = "nightshift_write_locks";
    /** SQLState of a unique or primary-key violation (PostgreSQL, H2 and the SQL standard). */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Connector db;
    private final String key;
    private final Holder mine;
    private final Clock clock;
    private final String tookOverFrom;
    private final LockHeartbeat heartbeat;

    /** How to reach the database: the catalog's JDBC URI and its credentials (never printed). */
    public record Connector(String uri, String user, String password) {
        Connection open() throws SQLException {
            Properties p = new Properties();
            if (user != null) {
                p.setProperty("user", user);
            }
            if (password != null) {
                p.setProperty("password", password);
            }
            return DriverManager.getConnection(uri, p);
        }

        /** The URI without its query (which may hold a password), for messages. */
        String describe() {
            int q = uri.indexOf('?');
            return q < 0 ? uri : uri.substring(0, q);
        }
    }

    private DatabaseLock(Connector db, String key, Holder mine, Clock clock, String tookOverFrom,
                         Duration heartbeatEvery) {
        this.db = db;
        this.key = key;
        this.mine = mine;
        this.clock = clock;
        this.tookOverFrom = tookOverFrom;
        this.heartbeat = new LockHeartbeat(this::beat, heartbeatEvery);
    }

    /**
     * Takes the lock of the warehouse {@code key} for {@code command}, or throws {@link HeldException}.
     *
     * @throws IllegalStateException when the database cannot be reached or refuses the statements; the message names
     *                               the database (without credentials)
     */
    public static DatabaseLock acquire(Connector db, String key, String command, Duration staleAfter) {
        return acquire(db, key, command, staleAfter, Clock.systemUTC(), WarehouseLock.HEARTBEAT);
    }

    static DatabaseLock acquire(Connector db, String key, String command, Duration staleAfter, Clock clock,
                                Duration heartbeatEvery) {
        Holder mine = Holder.ofThisProcess(command, clock.instant());
        String where = "row '" + key + "' of " + TABLE + " in " + db.describe();
        try (Connection c = db.open()) {
            c.setAutoCommit(true);
            createTable(c);
            if (insert(c, key, mine)) {
                return new DatabaseLock(db, key, mine, clock, null, heartbeatEvery);
            }
            Optional<Holder> current = read(c, key);
            if (current.isEmpty()) {
                // Released between our insert and our read: one more try.
                if (insert(c, key, mine)) {
                    return new DatabaseLock(db, key, mine, clock, null, heartbeatEvery);
                }
                current = read(c, key);
            }
            Holder holder = current.orElseThrow(() -> new IllegalStateException("the warehouse write lock " + where
                    + " keeps appearing and disappearing; is a run looping?"));
            if (!WarehouseLock.isStale(holder, clock.instant(), staleAfter)) {
                throw new HeldException(where, holder, staleAfter);
            }
            // Exactly one contender's update still finds the stale holder's lock id.
            if (replace(c, key, holder.lockId(), mine)) {
                return new DatabaseLock(db, key, mine, clock, holder.describe(), heartbeatEvery);
            }
            throw new HeldException(where, read(c, key).orElse(holder), staleAfter);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the warehouse write lock " + where + ": " + e.getMessage(), e);
        }
    }

    private static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (warehouse VARCHAR(2000) PRIMARY KEY, "
                    + "lock_id VARCHAR(64) NOT NULL, command VARCHAR(500), host VARCHAR(255), pid BIGINT, "
                    + "started_at TIMESTAMP, heartbeat_at TIMESTAMP)");
        } catch (SQLException e) {
            // Two first runs creating the table at once: the loser's CREATE fails although the table now exists.
            if (!tableExists(c)) {
                throw e;
            }
        }
    }

    private static boolean tableExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM " + TABLE).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean insert(Connection c, String key, Holder h) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE
                + " (warehouse, lock_id, command, host, pid, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, key);
            bindHolder(s, 2, h);
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private static boolean replace(Connection c, String key, String staleLockId, Holder h) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + TABLE + " SET lock_id = ?, command = ?, host = ?, "
                + "pid = ?, started_at = ?, heartbeat_at = ? WHERE warehouse = ? AND lock_id = ?")) {
            bindHolder(s, 1, h);
            s.setString(7, key);
            s.setString(8, staleLockId);
            return s.executeUpdate() == 1;
        }
    }

    private static void bindHolder(PreparedStatement s, int first, Holder h) throws SQLException {
        s.setString(first, h.lockId());
        s.setString(first + 1, h.command());
        s.setString(first + 2, h.host());
        s.setLong(first + 3, h.pid());
        s.setTimestamp(first + 4, Timestamp.from(h.startedAt()));
        s.setTimestamp(first + 5, Timestamp.from(h.heartbeatAt()));
    }

    static Optional<Holder> read(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT lock_id, command, host, pid, started_at, heartbeat_at "
                + "FROM " + TABLE + " WHERE warehouse = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Holder(r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
                        r.getTimestamp(5).toInstant(), r.getTimestamp(6).toInstant()));
            }
        }
    }

    @Override
    public Optional<String> tookOverFrom() {
        return Optional.ofNullable(tookOverFrom);
    }

    private void beat() {
        try (Connection c = db.open();
             PreparedStatement s = c.prepareStatement("UPDATE " + TABLE + " SET heartbeat_at = ? "
                     + "WHERE warehouse = ? AND lock_id = ?")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, key);
            s.setString(3, mine.lockId());
            s.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            // A missed heartbeat only shortens the time before others may call the lock stale.
        }
    }

    @Override
    public void close() {
        heartbeat.stop();
        try (Connection c = db.open();
             PreparedStatement s = c.prepareStatement("DELETE FROM " + TABLE + " WHERE warehouse = ? AND lock_id = ?")) {
            s.setString(1, key);
            s.setString(2, mine.lockId());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release the warehouse write lock in " + db.describe()
                    + " (it is taken over as stale by the next run): " + e.getMessage(), e);
        }
    }
}
