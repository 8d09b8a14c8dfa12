package io.nightshift.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;

/** Every data location of the configuration takes a URI as written, and a plain path against the file's folder. */
class LocationsSectionTest {
    @TempDir
    Path dir;

    private NightshiftConfig load(String yaml) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("nightshift.yaml"), yaml), dir);
    }

    @Test
    void uriLocationsReachTheConfigurationAsWritten() throws IOException {
        NightshiftConfig c = load(String.join("\n",
                "lake: {root: 's3a://logs/lake'}",
                "warehouse: {path: 'hdfs://namenode:8020/nightshift/warehouse'}",
                "reference: {service_catalog: 'abfss://ref@account.dfs.core.windows.net/services.csv',",
                "            tenant_directory: 'gs://ref-bucket/tenants.csv'}",
                "intel: {directory: 's3a://intel/feeds/'}",
                "report: {directory: 'hdfs:///nightshift/reports'}",
                "notifications: {sinks: [{name: outbox, type: directory, path: 's3a://soar/inbox'}]}", ""));
        assertThat(c.lake().root().value()).isEqualTo("s3a://logs/lake");
        assertThat(c.warehouse().path().value()).isEqualTo("hdfs://namenode:8020/nightshift/warehouse");
        assertThat(c.reference().serviceCatalog().value())
                .isEqualTo("abfss://ref@account.dfs.core.windows.net/services.csv");
        assertThat(c.reference().tenantDirectory().value()).isEqualTo("gs://ref-bucket/tenants.csv");
        assertThat(c.intel().directory().value()).isEqualTo("s3a://intel/feeds");
        assertThat(c.report().directory().value()).isEqualTo("hdfs:///nightshift/reports");
        assertThat(c.notifications().sinks().get(0).path().value()).isEqualTo("s3a://soar/inbox");
        assertThat(c.report().fileFor(c.warehouse(), java.time.LocalDate.parse("2026-11-21")).value())
                .isEqualTo("hdfs:///nightshift/reports/nightshift-report-2026-11-21.html");
        assertThat(c.warehouse().allowHadoopCatalogOnObjectStore()).isFalse();
    }

    @Test
    void plainPathsResolveAgainstTheFilesFolder() throws IOException {
        NightshiftConfig c = load("lake: {root: lake}\nwarehouse: {path: 'file:///srv/wh'}\n");
        assertThat(c.lake().root()).isEqualTo(Location.local(dir.resolve("lake")));
        assertThat(c.warehouse().path()).isEqualTo(Location.local(Path.of("/srv/wh")));
    }

    @Test
    void theHadoopCatalogOnAnObjectStoreCanBeAllowedByName() throws IOException {
        assertThat(load("warehouse: {path: 's3a://b/w', allow_hadoop_catalog_on_object_store: true}\n").warehouse()
                .allowHadoopCatalogOnObjectStore()).isTrue();
    }

    @Test
    void credentialsInALocationAreABadConfigNamingTheKey() {
        assertThatThrownBy(() -> load("lake: {root: 's3a://AKIAX:hunter2@logs/lake'}\n"))
                .isInstanceOf(NightshiftException.class)
                .hasMessageContaining("lake.root: the location holds credentials")
                .hasMessageNotContaining("hunter2")
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_CONFIG));
    }
}
