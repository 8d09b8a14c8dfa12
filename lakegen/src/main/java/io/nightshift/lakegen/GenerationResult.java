package io.nightshift.lakegen;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;

import io.nightshift.lakegen.scenario.GroundTruth;

/**
 * What a generation wrote: row counts per day as found in the written lake, the injected scenarios as recorded in
 * {@code ground_truth.json}, and where everything is.
 */
public record GenerationResult(SortedMap<LocalDate, Long> rowsPerDay, List<GroundTruth> scenarios, Path lakeDir,
                               Path groundTruthFile, Path referenceDir, Path threatIntelDir) {
    public long totalRows() {
        return rowsPerDay.values().stream().mapToLong(Long::longValue).sum();
    }

    public int scenarioCount() {
        return scenarios.size();
    }
}
