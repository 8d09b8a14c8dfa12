package io.nightshift.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nightshift.jobs.base.ExitCodes;

/** Command-line contract: help, and one-line reasons with distinct exit codes for bad usage, config and input. */
class NightshiftCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsSubcommandsAndEverySubcommandHasHelp() {
        assertThat(NightshiftCli.execute("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).contains("run", "backfill", "query", "tables");
        for (String sub : new String[] {"run", "backfill", "query", "tables", "report", "maintain", "notify"}) {
            out.reset();
            assertThat(NightshiftCli.execute(sub, "--help")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: nightshift " + sub);
        }
    }

    @Test
    void unknownOptionAndMalformedDateAreUsageErrors() {
        assertThat(NightshiftCli.execute("run", "--bogus")).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("Unknown option: '--bogus'");
        err.reset();
        assertThat(NightshiftCli.execute("run", "--date", "2026-13-45")).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("'2026-13-45' is not a date in YYYY-MM-DD form");
        assertThat(stderr().strip().lines().count()).isEqualTo(1);
        err.reset();
        assertThat(NightshiftCli.execute("backfill", "--from", "2026-11-05", "--to", "2026-11-01"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(stderr()).contains("--to 2026-11-01 is before --from 2026-11-05");
    }

    @Test
    void missingOrInvalidConfigIsABadConfig(@TempDir Path dir) throws Exception {
        assertThat(NightshiftCli.execute("run", "--date", "2026-11-20", "--config", dir.resolve("none.yaml").toString()))
                .isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(stderr()).contains("none.yaml does not exist or is not readable");

        err.reset();
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "lake:\n  rooot: /tmp\n");
        assertThat(NightshiftCli.execute("run", "--date", "2026-11-20", "--config", typo.toString()))
                .isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(stderr()).contains("unknown key 'lake.rooot'");

        err.reset();
        Path badValue = Files.writeString(dir.resolve("bad.yaml"), "trends:\n  history_days: -3\n");
        assertThat(NightshiftCli.execute("run", "--date", "2026-11-20", "--config", badValue.toString()))
                .isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(stderr()).contains("trends.history_days must be at least 1, got -3");

        err.reset();
        Path notYaml = Files.writeString(dir.resolve("broken.yaml"), "lake:\n  root: 'unterminated\n");
        assertThat(NightshiftCli.execute("run", "--date", "2026-11-20", "--config", notYaml.toString()))
                .isEqualTo(ExitCodes.BAD_CONFIG);
        assertThat(stderr()).contains("is not valid YAML");
    }

    @Test
    void aMissingLakePathIsBadInput(@TempDir Path dir) {
        assertThat(NightshiftCli.execute("run", "--date", "2026-11-20", "--lake", dir.resolve("nope").toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(stderr()).contains("--lake " + dir.resolve("nope") + " does not exist");
    }
}
