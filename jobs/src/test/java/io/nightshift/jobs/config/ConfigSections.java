package io.nightshift.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;

/** A configuration section's tests: a file of YAML loaded as {@code run} loads it, and its errors. */
final class ConfigSections {
    private ConfigSections() {
    }

    /** {@code yaml} written to {@code dir/nightshift.yaml} and loaded. */
    static NightshiftConfig load(Path dir, String yaml) {
        try {
            return ConfigLoader.load(Files.writeString(dir.resolve("nightshift.yaml"), yaml), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loading {@code yaml} is bad configuration (exit 3) with a message containing {@code message}. */
    static void assertBadConfig(Path dir, String yaml, String message) {
        assertThatThrownBy(() -> load(dir, yaml))
                .isInstanceOf(NightshiftException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((NightshiftException) e).exitCode()).isEqualTo(ExitCodes.BAD_CONFIG));
    }
}
