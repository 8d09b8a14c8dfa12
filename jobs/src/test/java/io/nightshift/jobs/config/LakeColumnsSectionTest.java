package io.nightshift.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;

/** {@code lake.columns} as the config loader reads it: canonical columns and attribute keys, to columns or paths. */
class LakeColumnsSectionTest {
    @TempDir
    Path dir;

    private Map<String, String> load(String columns) throws IOException {
        Path file = Files.writeString(dir.resolve("nightshift.yaml"), "lake:\n  columns: " + columns + "\n");
        return ConfigLoader.load(file, dir).lake().columns();
    }

    private void assertBadConfig(String columns, String message) {
        assertThatThrownBy(() -> load(columns))
                .isInstanceOf(NightshiftException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_CONFIG));
    }

    @Test
    void takesPathsAndAttributeKeys() throws IOException {
        assertThat(load("{user: userIdentity.arn, attributes.bucket: requestParameters.bucketName, "
                + "attributes.userIdentity.type: userIdentity.type, message: msg}"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("user", "userIdentity.arn",
                        "attributes.bucket", "requestParameters.bucketName",
                        "attributes.userIdentity.type", "userIdentity.type", "message", "msg"));
    }

    @Test
    void namesAnUnknownKeyOrABadPath() {
        assertBadConfig("{usr: userIdentity.arn}", "lake.columns maps unknown canonical column 'usr'; canonical "
                + "columns are timestamp*:timestamp");
        assertBadConfig("{usr: userIdentity.arn}", "or attributes.<key> for one key of the attributes map");
        assertBadConfig("{'attributes.': x}", "unknown canonical column 'attributes.'");
        assertBadConfig("{'attributes.a b': x}", "unknown canonical column 'attributes.a b'");
        assertBadConfig("{user: userIdentity..arn}", "lake.columns.user: 'userIdentity..arn' is not a lake column "
                + "or a dotted path into one (e.g. userIdentity.arn)");
        assertBadConfig("{attributes.bucket: 'requestParameters.'}", "lake.columns.attributes.bucket: "
                + "'requestParameters.' is not a lake column");
    }
}
