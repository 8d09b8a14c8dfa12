package io.nightshift.jobs.after.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.config.ReportConfig;

/** Writing the report file, and what a failure after a successful run does: warn, never fail the run. */
class ReportPublisherTest {
    static final LocalDate DATE = LocalDate.parse("2026-11-21");
    private static final Configuration HADOOP = new Configuration();

    @TempDir
    Path dir;

    @Test
    void aFailingReportBecomesAWarningNamingTheCauseAndTheCommandThatWritesItLater() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        Optional<Location> written = ReportPublisher.bestEffort(() -> {
            throw new IllegalStateException("outer", new RuntimeException("disk quota exceeded"));
        }, DATE, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(written).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("nightshift: warning: the run for 2026-11-21 "
                + "succeeded and its tables are published, but its report was not written: disk quota exceeded. "
                + "Write it later with: scripts/nightshift report --date 2026-11-21\n");
    }

    @Test
    void theFileIsCreatedWithItsFoldersAndReplacedWhole() throws Exception {
        Path file = dir.resolve("a/b/report.html");

        assertThat(ReportPublisher.writeFile(Location.local(file), "one", HADOOP)).isEqualTo(Location.local(file));
        ReportPublisher.writeFile(Location.local(file), "two", HADOOP);

        assertThat(Files.readString(file)).isEqualTo("two");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void anUnwritablePlaceIsAnErrorThatNamesTheFile() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Path file = notADirectory.resolve("report.html");

        assertThatThrownBy(() -> ReportPublisher.writeFile(Location.local(file), "html", HADOOP)).isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot write report " + file);
    }

    @Test
    void reportsGoToTheConfiguredFolderOrBesideTheTablesInTheWarehouse() {
        var warehouse = new NightshiftConfig.WarehouseConfig(Location.local(dir.resolve("wh")), "c", "n", Map.of());

        assertThat(ReportConfig.defaults().fileFor(warehouse, DATE))
                .isEqualTo(Location.local(dir.resolve("wh/reports/n/nightshift-report-2026-11-21.html")));
        assertThat(ReportConfig.resolve(new ReportConfig.Raw("out", false, 7), dir, "test").fileFor(warehouse, DATE))
                .isEqualTo(Location.local(dir.resolve("out/nightshift-report-2026-11-21.html")));
        assertThatThrownBy(() -> ReportConfig.resolve(new ReportConfig.Raw(null, null, 0), dir, "config file x"))
                .hasMessage("config file x: report.trend_days must be between 1 and 366, got 0");
    }
}
