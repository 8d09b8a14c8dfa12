package io.nightshift.jobs.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationTest {
    private static final Path BASE = Path.of("/etc/nightshift");

    @TempDir
    Path dir;

    @Test
    void uriLocationsStayUrisWhateverTheScheme() {
        for (String uri : List.of("s3a://logs-bucket/lake", "hdfs://namenode:8020/data/lake", "hdfs:///data/lake",
                "abfss://logs@account.dfs.core.windows.net/lake", "gs://bucket/lake")) {
            Location l = Location.of(uri, BASE);
            assertThat(l.value()).isEqualTo(uri);
            assertThat(l.isLocal()).isFalse();
            assertThat(l.hadoopPath().toUri()).isEqualTo(java.net.URI.create(uri));
        }
        assertThat(Location.of("s3a://bucket/lake/", BASE).value()).as("no trailing slash").isEqualTo("s3a://bucket/lake");
        assertThat(Location.of("S3A://bucket/lake", BASE).scheme()).isEqualTo("s3a");
    }

    @Test
    void plainPathsAndFileUrisAreAbsoluteLocalPaths() {
        assertThat(Location.of("lake", BASE).value()).isEqualTo("/etc/nightshift/lake");
        assertThat(Location.of("../data/./lake", BASE).value()).isEqualTo("/etc/data/lake");
        assertThat(Location.of("/srv/lake", BASE).value()).isEqualTo("/srv/lake");
        assertThat(Location.of("file:///srv/lake", BASE).value()).isEqualTo("/srv/lake");
        assertThat(Location.of("file:/srv/lake", BASE).value()).isEqualTo("/srv/lake");
        Location local = Location.of("/srv/lake", BASE);
        assertThat(local.isLocal()).isTrue();
        assertThat(local.scheme()).isEqualTo("file");
        assertThat(local.hadoopPath().toString()).as("qualified, so a cluster's default HDFS does not take it")
                .isEqualTo("file:/srv/lake");
    }

    @Test
    void objectStoresAreToldApartFromFileSystemsWithAtomicRename() {
        assertThat(Location.of("s3a://b/w", BASE).onObjectStore()).isTrue();
        assertThat(Location.of("gs://b/w", BASE).onObjectStore()).isTrue();
        assertThat(Location.of("abfss://c@a.dfs.core.windows.net/w", BASE).onObjectStore()).isTrue();
        assertThat(Location.of("hdfs://nn:8020/w", BASE).onObjectStore()).isFalse();
        assertThat(Location.of("/w", BASE).onObjectStore()).isFalse();
    }

    @Test
    void resolvingInsideALocationKeepsItsKind() {
        assertThat(Location.of("s3a://b/w", BASE).resolve("reports/ns").value()).isEqualTo("s3a://b/w/reports/ns");
        assertThat(Location.of("/w", BASE).resolve("reports/ns").value()).isEqualTo("/w/reports/ns");
        assertThat(Location.of("s3a://b/w/x.html", BASE).name()).isEqualTo("x.html");
    }

    @Test
    void credentialsInAUriAreRefusedWithoutBeingRepeated() {
        assertThatThrownBy(() -> Location.of("s3a://AKIAEXAMPLE:secret@bucket/lake", BASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spark.hadoop.fs.s3a.access.key")
                .hasMessageNotContaining("secret").hasMessageNotContaining("AKIAEXAMPLE");
        assertThatThrownBy(() -> Location.of("s3a://bucket/a b^", BASE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'s3a://bucket/a b^' is not a valid URI");
    }

    @Test
    void smallFilesAreWrittenWholeListedWithoutHiddenOnesAndReadBack() {
        Configuration hadoop = new Configuration();
        Location root = Location.local(dir.resolve("feeds"));
        DataFiles.writeString(root.resolve("b/two.csv"), "2", hadoop);
        DataFiles.writeString(root.resolve("one.csv"), "1", hadoop);
        DataFiles.writeString(root.resolve(".hidden/three.csv"), "3", hadoop);
        DataFiles.writeString(root.resolve("one.csv"), "one", hadoop);

        assertThat(DataFiles.filesUnder(root, hadoop)).containsExactly(root.resolve("b/two.csv"),
                root.resolve("one.csv"));
        assertThat(DataFiles.readString(root.resolve("one.csv"), hadoop)).isEqualTo("one");
        assertThat(DataFiles.isDirectory(root, hadoop)).isTrue();
        assertThat(DataFiles.exists(root.resolve("none"), hadoop)).isFalse();
    }
}
