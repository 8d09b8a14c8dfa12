package io.nightshift.jobs.cli;

import java.util.concurrent.Callable;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.cases.Triage;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightshift triage}: an analyst's verdict on an incident. */
@Command(name = "triage", mixinStandardHelpOptions = true,
        description = "Record a verdict on an incident (in the triage table) and update its status. A false_positive "
                + "verdict suppresses the incident's fingerprints on later nights for incidents.false_positive_days.")
public final class TriageCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--incident", required = true, paramLabel = "ID", description = "Incident id, e.g. INC-20261118-1a2b3c4d.")
    String incident;

    @Option(names = "--verdict", required = true,
            description = "true_positive, false_positive, benign or duplicate.")
    String verdict;

    @Option(names = "--analyst", required = true, paramLabel = "NAME", description = "Who decided.")
    String analyst;

    @Option(names = "--note", defaultValue = "", paramLabel = "TEXT", description = "Why.")
    String note;

    @Override
    public Integer call() {
        Ids.requireIncidentId(incident);
        Triage.statusAfter(verdict);
        if (analyst.isBlank()) {
            throw NightshiftException.usage("--analyst must not be blank");
        }
        NightshiftConfig config = common.loadConfig();
        ResultsStore store = common.openStore("nightshift-triage", config);
        String id = new Triage(store, config.incidents().falsePositiveDays()).record(incident, verdict, analyst, note);
        System.out.println("recorded " + id + ": " + incident + " is " + Triage.statusAfter(verdict)
                + ("false_positive".equals(verdict) ? " (its fingerprints are suppressed for "
                + config.incidents().falsePositiveDays() + " days)" : ""));
        return ExitCodes.OK;
    }
}
