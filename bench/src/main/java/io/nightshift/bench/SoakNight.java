package io.nightshift.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One night of a soak: how the run process did and what the warehouse looked like after it.
 *
 * @param number             1 for the first night
 * @param date               the logical date run
 * @param seconds            wall time of the {@code nightshift run} process, start to exit
 * @param peakRssBytes       its peak resident memory
 * @param maintenanceSeconds the maintenance at the end of the run, as job_runs recorded it
 * @param census             every table's snapshots and files after the night, and the snapshot bound
 * @param models             model versions registered so far
 * @param problems           consistency problems found after the night; empty when consistent
 */
record SoakNight(int number, LocalDate date, double seconds, long peakRssBytes, double maintenanceSeconds,
                 SnapshotCensus.Result census, long models, List<String> problems) {

    static final double GIB = 1024.0 * 1024 * 1024;

    /** Problems of both kinds: consistency, then the snapshot bound. */
    List<String> allProblems() {
        List<String> all = new ArrayList<>(problems);
        all.addAll(census.problems());
        return all;
    }

    String line() {
        List<String> all = allProblems();
        return String.format(Locale.ROOT, "night %2d %s  %7.1f s  peak RSS %5.2f GiB  maintenance %5.1f s  "
                        + "snapshots %4d (max %3d, %s)  data files %5d  models %d  checks %s",
                number, date, seconds, peakRssBytes / GIB, maintenanceSeconds, census.snapshots(),
                census.maxSnapshots(), census.maxTable(), census.dataFiles(), models,
                all.isEmpty() ? "ok" : "FAILED: " + String.join("; ", all));
    }
}
