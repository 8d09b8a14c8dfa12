package io.nightshift.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lake.columns} as the config loader reads it: canonical columns and attribute keys, to columns or paths. */
class LakeColumnsSectionTest {
    @TempDir
    Path dir;

    private Map<String, String> load(String columns) {
        return ConfigSections.load(dir, "lake:\n  columns: " + columns + "\n").lake().columns();
    }

    private void assertBadConfig(String columns, String message) {
        ConfigSections.assertBadConfig(dir, "lake:\n  columns: " + columns + "\n", message);
    }

    @Test
    void takesPathsAndAttributeKeys() {
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
