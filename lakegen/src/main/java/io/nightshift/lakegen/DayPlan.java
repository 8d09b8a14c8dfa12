package io.nightshift.lakegen;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;

import io.nightshift.lakegen.scenario.Scenario;
import io.nightshift.lakegen.world.OperationalEvents;
import io.nightshift.lakegen.world.Seasonality;

/**
 * The row layout of one day, decided on the driver in a few bytes: indexes {@code [0, trafficRows)} are ordinary
 * traffic, the next {@code operations.rows()} the day's operational events, then each scenario's injected lines in
 * turn. Executors turn any index into its row without further coordination.
 */
public record DayPlan(long seed, LocalDate date, long trafficRows, OperationalEvents.Plan operations,
                      List<Scenario> scenarios) implements Serializable {

    public static DayPlan of(GeneratorSpec spec, LocalDate date, List<Scenario> allScenarios) {
        return new DayPlan(spec.seed(), date, Seasonality.rowsFor(spec.seed(), date, spec.rowsPerDay()),
                OperationalEvents.Plan.forDay(spec.seed(), date),
                allScenarios.stream().filter(s -> s.date().equals(date)).toList());
    }

    public long operationsStart() {
        return trafficRows;
    }

    public long scenariosStart() {
        return trafficRows + operations.rows();
    }

    public long totalRows() {
        return scenariosStart() + scenarios.stream().mapToLong(Scenario::injectedRows).sum();
    }
}
