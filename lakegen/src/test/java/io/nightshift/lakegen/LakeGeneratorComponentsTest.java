package io.nightshift.lakegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import io.nightshift.lakegen.scenario.Scenario;
import io.nightshift.lakegen.scenario.ScenarioPlanner;
import io.nightshift.lakegen.world.Directory;
import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.MessageTemplate;
import io.nightshift.lakegen.world.MessageTemplates;
import io.nightshift.lakegen.world.Seasonality;
import io.nightshift.lakegen.world.ServiceCatalog;
import io.nightshift.lakegen.world.ServiceProfile;
import io.nightshift.lakegen.world.Topology;

/** The generator's parts, without Spark. */
class LakeGeneratorComponentsTest {
    private static final GeneratorSpec SPEC =
            new GeneratorSpec(42, LocalDate.of(2026, 11, 1), 21, 30_000, Path.of("/tmp/unused"), true);

    @Test
    void topologyHasRegionsDatacentersFarmsAndHostsForEveryService() {
        assertThat(Topology.REGIONS).hasSize(4);
        assertThat(Topology.datacenters()).hasSize(8);
        assertThat(Topology.farms()).hasSize(16);
        assertThat(Topology.HOSTS).hasSizeBetween(40, 60);
        assertThat(Topology.HOSTS.stream().map(Topology.Host::name).distinct()).hasSize(Topology.HOSTS.size());
        assertThat(ServiceCatalog.SERVICES).hasSizeBetween(8, 12);
        for (ServiceProfile s : ServiceCatalog.SERVICES) {
            for (String region : s.regions()) {
                assertThat(Topology.hostsOf(region, s.name())).as(s.name() + " in " + region).isNotEmpty();
            }
            assertThat(Topology.hostsOfService(s.name()).size()).isLessThan(Topology.HOSTS.size() / 2);
        }
    }

    @Test
    void directoryHasTwentyTenantsAndTwoHundredUsers() {
        assertThat(Directory.TENANTS).hasSize(20);
        assertThat(Directory.USERS).hasSize(200);
        assertThat(Directory.USERS.stream().map(Directory.User::name).distinct()).hasSize(200);
        assertThat(Directory.USERS.stream().map(Directory.User::homeIp).distinct()).hasSize(200);
        assertThat(Directory.TENANTS).anyMatch(t -> t.regulatedBy("HIPAA"));
        Directory.TENANTS.forEach(t -> assertThat(Directory.usersWithRole(t.id(), "admin")).hasSize(1));
    }

    @Test
    void everyTemplateRendersItsSlots() {
        assertThat(MessageTemplates.ALL).hasSizeGreaterThanOrEqualTo(30);
        assertThat(MessageTemplates.ALL.stream().map(MessageTemplate::id).distinct()).hasSize(MessageTemplates.ALL.size());
        SplittableRandom rng = new SplittableRandom(1);
        Directory.User user = Directory.USERS.get(0);
        for (MessageTemplate t : MessageTemplates.ALL) {
            LogEvent e = new LogEvent(20_000, "id");
            e.service = "checkout";
            e.placeOn(Topology.hostsOf("us-east", "checkout").get(0));
            e.actAs(user);
            e.srcIp = user.homeIp();
            e.requestLatencyMs = 120.5;
            t.applyTo(e, rng);
            // Parameters the schedule or a scenario sets for operational templates.
            List.of("version", "seconds", "count", "role", "granter", "export_id", "dataset", "rows", "guess")
                    .forEach(p -> e.params.putIfAbsent(p, "x"));
            e.bytesOut = e.bytesOut == null ? 0L : e.bytesOut;
            String message = t.render(e);
            assertThat(message).as(t.id()).doesNotContain("{");
            if (!t.pattern().contains("null")) {
                assertThat(message).as(t.id()).doesNotContain("null");
            }
        }
    }

    @Test
    void requestMessagesAgreeWithTheirColumns() {
        DayPlan plan = DayPlan.of(SPEC, SPEC.startDate(), List.of());
        DayRowGenerator generator = new DayRowGenerator(plan);
        int checked = 0;
        for (long i = 0; i < 2_000; i++) {
            LogEvent e = generator.generate(i);
            if (e.template.id().equals("http_ok")) {
                String message = e.template.render(e);
                assertThat(message).contains(" " + e.statusCode + " " + e.bytesOut + " bytes ")
                        .endsWith(LogEvent.formatTenths(e.durationMs) + " ms");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void rowsDependOnlyOnSeedDateAndIndex() {
        List<Scenario> scenarios = SPEC.plannedScenarios();
        LocalDate day = scenarios.get(0).date();
        DayPlan plan = DayPlan.of(SPEC, day, scenarios);
        DayRowGenerator a = new DayRowGenerator(plan);
        DayRowGenerator b = new DayRowGenerator(DayPlan.of(SPEC, day, scenarios));
        for (long i = plan.totalRows() - 1; i >= plan.totalRows() - 500; i--) {
            assertThat(a.call(i)).toIterable().isEqualTo(toList(b.call(i)));
        }
    }

    private static List<org.apache.spark.sql.Row> toList(java.util.Iterator<org.apache.spark.sql.Row> it) {
        List<org.apache.spark.sql.Row> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void scenariosAreFixedBySpecAndFallInTheLastWeek() {
        List<Scenario> first = ScenarioPlanner.plan(SPEC.startDate(), SPEC.days(), SPEC.seed(), "198.51.100.7");
        List<Scenario> again = ScenarioPlanner.plan(SPEC.startDate(), SPEC.days(), SPEC.seed(), "198.51.100.7");
        assertThat(first).hasSize(9);
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i).groundTruth(0)).isEqualTo(again.get(i).groundTruth(0));
            assertThat(first.get(i).date()).isAfterOrEqualTo(LocalDate.of(2026, 11, 15))
                    .isBeforeOrEqualTo(LocalDate.of(2026, 11, 21));
        }
    }

    @Test
    void weeklyVolumeAveragesToRowsPerDay() {
        long week = 0;
        for (int d = 0; d < 7; d++) {
            week += Seasonality.rowsFor(42, LocalDate.of(2026, 11, 2).plusDays(d), 100_000);
        }
        assertThat(week / 7.0).isCloseTo(100_000, within(4_000.0));
        assertThat(Seasonality.load("us-east", 8)).isLessThan(Seasonality.load("us-east", 17));
    }

    @Test
    void specRejectsNonPositiveValuesNamingThem() {
        assertThatThrownBy(() -> new GeneratorSpec(1, LocalDate.now(), 0, 10, Path.of("x"), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot generate 0 days: the value must be positive");
        assertThatThrownBy(() -> new GeneratorSpec(1, LocalDate.now(), 1, -5, Path.of("x"), true))
                .hasMessage("Cannot generate -5 rows per day: the value must be positive");
    }

    @Test
    void commandRejectsBadValuesAsUsageErrors() {
        assertThatThrownBy(() -> parse("--out", "/tmp/x", "--days", "0").call())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Cannot use --days 0: the value must be positive");
        assertThatThrownBy(() -> parse("--out", "/tmp/x", "--rows-per-day", "-1").call())
                .hasMessage("Cannot use --rows-per-day -1: the value must be positive");
        assertThatThrownBy(() -> parse("--out", "/tmp/x", "--start", "2026-13-01").call())
                .hasMessage("Cannot use --start 2026-13-01: expected a date as YYYY-MM-DD");
        assertThat(GenerateCommand.execute("--out", "/tmp/x", "--files-per-day", "0"))
                .as("a usage error, before Spark starts").isEqualTo(GenerateCommand.USAGE);
    }

    private static GenerateCommand parse(String... args) {
        return CommandLine.populateCommand(new GenerateCommand(), args);
    }
}
