package io.nightshift.jobs.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.cases.OcsfExporter;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightshift export}: a night's incidents and findings for another SIEM or SOAR. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the incidents updated on a date and that date's findings as OCSF JSON lines "
                + "(Incident Finding 2005, Detection Finding 2004).")
public final class ExportCommand implements Callable<Integer> {
    enum Format { ocsf }

    @Mixin
    CommonOptions common;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "Logical date to export.")
    LocalDate date;

    @Option(names = "--format", defaultValue = "ocsf", description = "Output format: ${COMPLETION-CANDIDATES}.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: standard output).")
    Path out;

    @Override
    public Integer call() {
        NightshiftConfig config = common.loadConfig();
        ResultsStore store = common.openStore("nightshift-export", config);
        try {
            if (out == null) {
                // Standard output stays open: only flush it.
                Writer w = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
                new OcsfExporter(store).export(date, w);
                w.flush();
            } else {
                try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    long n = new OcsfExporter(store).export(date, w);
                    System.out.println("wrote " + n + " OCSF events to " + out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ExitCodes.OK;
    }
}
