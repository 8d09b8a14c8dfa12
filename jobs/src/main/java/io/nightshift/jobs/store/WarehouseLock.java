package io.nightshift.jobs.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writer at a time per warehouse: the nightly commands hold this lock while they write, so two schedulers (or a
 * scheduler and a person running a backfill) never interleave their commits for the same dates.
 *
 * <p>The lock is a small file beside the tables, created only if absent (atomic on local disks and HDFS) and
 * rewritten every {@link #HEARTBEAT} while held. A lock is stale — its run crashed or was killed — when its holder's
 * process is gone (same host) or its heartbeat is older than the stale-after period (any host). A stale lock is taken
 * over by the one contender that creates its takeover marker (create-if-absent again), which then rewrites the lock;
 * the marker stays until release, so a contender that read the stale lock late cannot take it a second time.
 */
public final class WarehouseLock implements WriteLock {
    public static final String FILE_NAME = ".nightshift-write.lock";
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /** Ten missed heartbeats: long GC pauses and slow object stores do not look like a crash. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(5);

    /** Who holds (or held) a lock, as written in the lock file. */
    public record Holder(String lockId, String command, String host, long pid, Instant startedAt, Instant heartbeatAt) {
        /** A new holder: this process, now. */
        static Holder ofThisProcess(String command, Instant now) {
            return new Holder(UUID.randomUUID().toString(), command, WarehouseLock.host(), ProcessHandle.current().pid(),
                    now, now);
        }

        Holder withHeartbeat(Instant at) {
            return new Holder(lockId, command, host, pid, startedAt, at);
        }

        String describe() {
            return "'" + command + "' (pid " + pid + " on " + host + ", since " + startedAt + ", last heartbeat "
                    + heartbeatAt + ")";
        }
    }

    /** Thrown when another live run holds the lock. */
    public static final class HeldException extends RuntimeException {
        private final transient Holder holder;

        HeldException(String where, Holder holder, Duration staleAfter) {
            super("another run holds the warehouse write lock: " + holder.describe() + ". Wait for it to finish; if "
                    + "it crashed, its lock is taken over once its process is gone (same host) or after "
                    + staleAfter.toMinutes() + " minutes without a heartbeat (lock " + where + ")");
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Holder mine;
    private final Clock clock;
    private final LockHeartbeat heartbeat;
    private final String tookOverFrom;
    private final Path takeoverMarker;

    private WarehouseLock(FileSystem fs, Path file, Holder mine, Clock clock, String tookOverFrom, Path takeoverMarker,
                          Duration heartbeatEvery) {
        this.takeoverMarker = takeoverMarker;
        this.fs = fs;
        this.file = file;
        this.mine = mine;
        this.clock = clock;
        this.tookOverFrom = tookOverFrom;
        this.heartbeat = new LockHeartbeat(this::beat, heartbeatEvery);
    }

    /** Takes the lock of the warehouse at {@code warehouse} for {@code command}, or throws {@link HeldException}. */
    public static WarehouseLock acquire(String warehouse, Configuration hadoop, String command, Duration staleAfter) {
        return acquire(warehouse, hadoop, command, staleAfter, Clock.systemUTC());
    }

    static WarehouseLock acquire(String warehouse, Configuration hadoop, String command, Duration staleAfter,
                                 Clock clock) {
        return acquire(warehouse, hadoop, command, staleAfter, clock, HEARTBEAT);
    }

    static WarehouseLock acquire(String warehouse, Configuration hadoop, String command, Duration staleAfter,
                                 Clock clock, Duration heartbeatEvery) {
        Path location = new Path(warehouse, FILE_NAME);
        try {
            FileSystem fs = location.getFileSystem(hadoop);
            Path file = fs.makeQualified(location);
            if (fs instanceof org.apache.hadoop.fs.LocalFileSystem local) {
                // No .crc side files: a lock rewritten by one writer and replaced by another must stay readable.
                fs = local.getRaw();
            }
            fs.mkdirs(file.getParent());
            Instant now = clock.instant();
            Holder mine = Holder.ofThisProcess(command, now);
            if (createNew(fs, file, mine)) {
                return new WarehouseLock(fs, file, mine, clock, null, null, heartbeatEvery);
            }
            Holder current = read(fs, file).orElse(null);
            if (current == null) {
                // Released between our attempt and our read: one more try.
                if (createNew(fs, file, mine)) {
                    return new WarehouseLock(fs, file, mine, clock, null, null, heartbeatEvery);
                }
                current = read(fs, file).orElseThrow(() -> new IllegalStateException(
                        "the warehouse write lock " + file + " keeps appearing and disappearing; is a run looping?"));
            }
            if (!isStale(current, now, staleAfter)) {
                throw new HeldException("file " + file, current, staleAfter);
            }
            // Exactly one contender may replace a given stale lock: the one that creates its takeover marker.
            Holder stale = current;
            Path marker = new Path(file.getParent(), FILE_NAME + ".takeover-" + stale.lockId());
            if (!createNew(fs, marker, mine)) {
                throw new HeldException("file " + file, read(fs, file).filter(h -> !h.lockId().equals(stale.lockId()))
                        .orElse(stale), staleAfter);
            }
            Optional<Holder> still = read(fs, file);
            if (still.isPresent() && !still.get().lockId().equals(stale.lockId())) {
                // Released and taken afresh since we looked: that holder is live.
                fs.delete(marker, false);
                throw new HeldException("file " + file, still.get(), staleAfter);
            }
            write(fs, file, mine, true);
            return new WarehouseLock(fs, file, mine, clock, stale.describe(), marker, heartbeatEvery);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the warehouse write lock " + location + ": " + e.getMessage(), e);
        }
    }

    static boolean isStale(Holder holder, Instant now, Duration staleAfter) {
        if (holder.host().equals(host())) {
            Optional<ProcessHandle> process = ProcessHandle.of(holder.pid());
            if (process.isEmpty() || !process.get().isAlive()) {
                return true;
            }
        }
        return holder.heartbeatAt().plus(staleAfter).isBefore(now);
    }

    @Override
    public Optional<String> tookOverFrom() {
        return Optional.ofNullable(tookOverFrom);
    }

    public Path file() {
        return file;
    }

    private void beat() {
        try {
            Optional<Holder> current = read(fs, file);
            if (current.isPresent() && current.get().lockId().equals(mine.lockId())) {
                write(fs, file, mine.withHeartbeat(clock.instant()), true);
            }
        } catch (IOException | RuntimeException e) {
            // A missed heartbeat only shortens the time before others may call the lock stale.
        }
    }

    @Override
    public void close() {
        heartbeat.stop();
        try {
            Optional<Holder> current = read(fs, file);
            if (current.isPresent() && current.get().lockId().equals(mine.lockId())) {
                fs.delete(file, false);
            }
            if (takeoverMarker != null) {
                fs.delete(takeoverMarker, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the warehouse write lock " + file
                    + " (it is taken over as stale by the next run): " + e.getMessage(), e);
        }
    }

    private static boolean createNew(FileSystem fs, Path file, Holder holder) throws IOException {
        if ("file".equals(fs.getUri().getScheme())) {
            // Hadoop's local file system checks-then-creates; the JDK's CREATE_NEW is atomic.
            try {
                java.nio.file.Files.write(java.nio.file.Path.of(file.toUri()), bytes(holder),
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try {
            write(fs, file, holder, false);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static void write(FileSystem fs, Path file, Holder holder, boolean overwrite) throws IOException {
        try (OutputStream out = fs.create(file, overwrite)) {
            out.write(bytes(holder));
        }
    }

    private static byte[] bytes(Holder h) {
        return String.join("\n", "lock_id=" + h.lockId(), "command=" + h.command(), "host=" + h.host(),
                "pid=" + h.pid(), "started_at=" + h.startedAt(), "heartbeat_at=" + h.heartbeatAt(), "")
                .getBytes(StandardCharsets.UTF_8);
    }

    static Optional<Holder> read(FileSystem fs, Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = fs.open(file)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (java.io.FileNotFoundException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Holder(p.getProperty("lock_id"), p.getProperty("command"), p.getProperty("host"),
                    Long.parseLong(p.getProperty("pid")), Instant.parse(p.getProperty("started_at")),
                    Instant.parse(p.getProperty("heartbeat_at"))));
        } catch (RuntimeException e) {
            // Half-written by a crash between create and write: its age is all we know.
            Instant modified;
            try {
                modified = Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime());
            } catch (java.io.FileNotFoundException gone) {
                return Optional.empty();
            }
            return Optional.of(new Holder("unreadable-" + modified.toEpochMilli(), "unknown (unreadable lock file)",
                    "unknown-host", -1, modified, modified));
        }
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
