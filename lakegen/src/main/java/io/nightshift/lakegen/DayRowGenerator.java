package io.nightshift.lakegen;

import java.util.Collections;
import java.util.Iterator;
import java.util.SplittableRandom;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

import io.nightshift.lakegen.scenario.Scenario;
import io.nightshift.lakegen.world.LogEvent;
import io.nightshift.lakegen.world.OperationalEvents;
import io.nightshift.lakegen.world.Seeds;
import io.nightshift.lakegen.world.TrafficGenerator;

/**
 * Turns a row index of one day into that row, on the executors. Everything a row needs is derived from
 * (seed, date, index) and the serialized {@link DayPlan}, so rows are identical however the index range is split.
 * Ordinary rows pass through the day's scenarios, which may amend them or drop them (a silent host).
 */
public final class DayRowGenerator implements FlatMapFunction<Long, Row> {
    private final DayPlan plan;
    private final long epochDay;

    public DayRowGenerator(DayPlan plan) {
        this.plan = plan;
        this.epochDay = plan.date().toEpochDay();
    }

    @Override
    public Iterator<Row> call(Long boxedIndex) {
        LogEvent e = generate(boxedIndex);
        return e.dropped ? Collections.emptyIterator() : Collections.singletonList(e.toRow()).iterator();
    }

    /** The event at {@code index}, before rendering; dropped events are returned with {@code dropped} set. */
    public LogEvent generate(long index) {
        SplittableRandom rng = Seeds.forRow(plan.seed(), epochDay, index);
        LogEvent e = new LogEvent(epochDay, LakeSchema.eventId(plan.seed(), epochDay, index));
        if (index < plan.operationsStart()) {
            TrafficGenerator.fill(e, rng);
            for (Scenario s : plan.scenarios()) {
                s.amend(e, rng);
            }
            silence(e);
        } else if (index < plan.scenariosStart()) {
            OperationalEvents.fill(e, plan.operations(), (int) (index - plan.operationsStart()), plan.seed(), rng);
            silence(e);
        } else {
            long k = index - plan.scenariosStart();
            for (Scenario s : plan.scenarios()) {
                if (k < s.injectedRows()) {
                    s.writeInjectedRow(e, (int) k, rng);
                    return e;
                }
                k -= s.injectedRows();
            }
            throw new IllegalArgumentException("Row " + index + " is beyond the " + plan.totalRows() + " rows planned for "
                    + plan.date());
        }
        return e;
    }

    private void silence(LogEvent e) {
        for (Scenario s : plan.scenarios()) {
            if (s.silences(e)) {
                e.dropped = true;
            }
        }
    }
}
