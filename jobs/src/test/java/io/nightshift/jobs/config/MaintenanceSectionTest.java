package io.nightshift.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code maintenance:} section as the config loader reads it: values, defaults, and errors naming the key. */
class MaintenanceSectionTest {
    @TempDir
    Path dir;

    private MaintenanceConfig load(String yaml) throws IOException {
        return ConfigSections.load(dir, yaml).maintenance();
    }

    private void assertBadConfig(String yaml, String message) {
        ConfigSections.assertBadConfig(dir, yaml, message);
    }

    @Test
    void readsEveryKey() throws IOException {
        MaintenanceConfig m = load(String.join("\n", "maintenance:", "  after_run: false",
                "  snapshot_retention: 90 minutes", "  min_snapshots: 3", "  compact_min_files: 8",
                "  compact_min_manifests: 40", ""));
        assertThat(m).isEqualTo(new MaintenanceConfig(false, Duration.ofMinutes(90), 3, 8, 40));
    }

    @Test
    void withoutTheSectionTheDefaultsApply() throws IOException {
        MaintenanceConfig expected = new MaintenanceConfig(true, Duration.ofDays(7), 5, 5, 20);
        assertThat(load("trends: {history_days: 28}\n")).isEqualTo(expected);
        assertThat(load("maintenance: {min_snapshots: 9}\n")).isEqualTo(new MaintenanceConfig(true, Duration.ofDays(7),
                9, 5, 20));
        assertThat(ConfigLoader.load(null, dir).maintenance()).isEqualTo(expected);
        assertThat(MaintenanceConfig.defaults()).isEqualTo(expected);
    }

    @Test
    void aZeroRetentionKeepsOnlyTheNewestSnapshots() throws IOException {
        assertThat(load("maintenance: {snapshot_retention: 0 hours, min_snapshots: 2}\n").snapshotRetention())
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void badValuesNameTheKeyAndTheValue() {
        assertBadConfig("maintenance: {min_snapshots: 0}\n", "maintenance.min_snapshots must be at least 1, got 0");
        assertBadConfig("maintenance: {compact_min_files: 1}\n",
                "maintenance.compact_min_files must be at least 2, got 1");
        assertBadConfig("maintenance: {compact_min_manifests: -4}\n",
                "maintenance.compact_min_manifests must be at least 2, got -4");
        assertBadConfig("maintenance: {snapshot_retention: a week}\n",
                "maintenance.snapshot_retention must be a duration such as '7 days', '12 hours' or '30 minutes', "
                        + "got 'a week'");
        assertBadConfig("maintenance: {snapshot_retention: 7}\n", "got '7'");
        assertBadConfig("maintenance: {after_run: sometimes}\n", "bad value at 'maintenance.after_run'");
        assertBadConfig("maintenance: {retention_days: 3}\n", "unknown key 'maintenance.retention_days'");
    }
}
