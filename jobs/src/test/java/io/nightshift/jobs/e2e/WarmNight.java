package io.nightshift.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nightshift.jobs.CapturedRun;
import io.nightshift.jobs.TestSpark;
import io.nightshift.jobs.base.ExitCodes;

/**
 * The warm fixture of the end-to-end tier: the shipped sample lake's scenario week (2026-11-15..21) backfilled once
 * per test JVM through the real command line, with its detection metrics computed, in a namespace of its own on the
 * shared test warehouse. The scenario, rule-draft, report and evidence tests assert on it instead of running nights
 * of their own; only tests that must rerun a night (rerun equality, suppression after a verdict, killed runs) run
 * their own. Tests may add analyst writes (a verdict, an action) but never rerun its nights.
 */
public final class WarmNight {
    public static final LocalDate FIRST = LocalDate.parse("2026-11-15");
    public static final LocalDate LAST = LocalDate.parse("2026-11-21");

    private static WarmNight night;

    private final Path dir;
    private final Path config;
    private final String namespace;
    private final Map<String, JsonNode> scenarios;
    private final String backfillOutput;

    private WarmNight(Path dir, Path config, String namespace, Map<String, JsonNode> scenarios,
            String backfillOutput) {
        this.backfillOutput = backfillOutput;
        this.dir = dir;
        this.config = config;
        this.namespace = namespace;
        this.scenarios = scenarios;
    }

    /** The fixture, backfilled on first use. */
    public static synchronized WarmNight get() {
        if (night == null) {
            night = backfill();
        }
        return night;
    }

    private static WarmNight backfill() {
        TestSpark.session();
        Path samples = TestSpark.repoRoot().resolve("data-samples");
        String namespace = "warm_" + ProcessHandle.current().pid();
        try {
            Path dir = Files.createTempDirectory("nightshift-warm-night");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            Path config = Files.writeString(dir.resolve("nightshift.yaml"), String.join("\n",
                    "lake: {root: '" + samples.resolve("lake") + "', dedup_key: event_id}",
                    "warehouse: {path: '" + TestSpark.warehouse() + "', catalog: nightshift, namespace: " + namespace
                            + "}",
                    "reference: {service_catalog: '" + samples.resolve("reference/service_catalog.csv")
                            + "', tenant_directory: '" + samples.resolve("reference/tenants.csv") + "'}",
                    "rules: {directory: '" + TestSpark.repoRoot().resolve("rules") + "'}",
                    "intel: {directory: '" + samples.resolve("threat_intel") + "'}",
                    "notifications: {sinks: [{name: outbox, type: directory, path: outbox}]}",
                    "maintenance: {after_run: false}",
                    ""));
            CapturedRun backfill = CapturedRun.of("backfill", "--from", FIRST.toString(), "--to", LAST.toString(),
                    "--config", config.toString());
            assertThat(backfill.exitCode()).as("the warm night's backfill: %s", backfill.err())
                    .isEqualTo(ExitCodes.OK);
            assertThat(CapturedRun.of("metrics", "--config", config.toString()).exitCode()).isEqualTo(ExitCodes.OK);
            Map<String, JsonNode> scenarios = new java.util.HashMap<>();
            for (JsonNode s : new ObjectMapper().readTree(samples.resolve("ground_truth.json").toFile())) {
                scenarios.put(s.get("kind").asText(), s);
            }
            return new WarmNight(dir, config, namespace, Map.copyOf(scenarios), backfill.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the backfill printed on standard output (the README's first command prints the same). */
    public String backfillOutput() {
        return backfillOutput;
    }

    /** A folder of the fixture's own that tests may write into (drafts, reports). */
    public Path dir() {
        return dir;
    }

    /** The config file of the backfill, for commands run on the fixture. */
    public Path config() {
        return config;
    }

    public String namespace() {
        return namespace;
    }

    /** A table's full name in the fixture's namespace. */
    public String table(String name) {
        return "nightshift." + namespace + "." + name;
    }

    /** The ground truth of the sample lake's scenario {@code kind}. */
    public JsonNode scenario(String kind) {
        return scenarios.get(kind);
    }

    public String entity(String kind, String name) {
        return scenario(kind).get("entities").get(name).asText();
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: the directory is under the system temp dir anyway.
        }
    }
}
