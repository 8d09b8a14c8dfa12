package io.nightshift.jobs.after.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes each notification to {@code <dir>/<incident_id>-v<version>.json}: written to a temporary file in the same
 * folder and moved into place in one step, so a reader (a mail gateway, a SOAR polling the folder) never sees half a
 * file. Delivering the same notification again rewrites the same bytes.
 */
final class DirectorySink implements NotificationSink {
    private final Path dir;

    DirectorySink(Path dir) {
        this.dir = dir;
    }

    /** The file a notification is written to. */
    static Path fileFor(Path dir, String incidentId, int version) {
        return dir.resolve(incidentId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-v" + version + ".json");
    }

    @Override
    public void deliver(Notification n) throws DeliveryFailure {
        Path file = fileFor(dir, n.incidentId(), n.incidentVersion());
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".notification-", ".tmp");
            Files.writeString(tmp, n.payload(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new DeliveryFailure("could not write " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // The temporary file's name starts with a dot; a leftover is harmless.
        }
    }
}
