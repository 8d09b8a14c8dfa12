package io.nightshift.jobs.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.base.Severity;
import io.nightshift.jobs.cases.ActionKind;
import io.nightshift.jobs.cases.CaseBook;
import io.nightshift.jobs.cases.CaseRecord;
import io.nightshift.jobs.cases.CaseRecordFormat;
import io.nightshift.jobs.cases.CaseStatus;
import io.nightshift.jobs.cases.IncidentListing;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.store.ResultsStore;
import io.nightshift.jobs.store.StoredRow;
import io.nightshift.jobs.store.WarehouseTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code nightshift incident list|show|act|close}: an analyst's work on candidate incidents. These commands do not
 * take the warehouse's write lock: they may run while the nightly job runs (their commits retry on conflict, and the
 * night never overwrites a status an analyst set). {@code list} and {@code show} only read, through Iceberg's Java API
 * without starting Spark, so they answer at once; {@code act} and {@code close} write through Spark.
 */
@Command(name = "incident", mixinStandardHelpOptions = true,
        description = "Work a candidate incident as a case: list, show the whole record, record actions, close it "
                + "with lessons learned. Safe to run while the nightly job runs. list and show read the warehouse "
                + "through Iceberg without starting Spark, and answer in a second or two.",
        subcommands = {IncidentCommand.ListCases.class, IncidentCommand.Show.class, IncidentCommand.Act.class,
                IncidentCommand.Close.class, CommandLine.HelpCommand.class})
public final class IncidentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: list, show, act or close");
    }

    /** What every incident subcommand has: the shared options, its output, and the warehouse. */
    abstract static class IncidentSubcommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        CommonOptions common;

        /** Spark and the warehouse, for the subcommands that write. */
        ResultsStore open() {
            NightshiftConfig config = common.loadConfig();
            return common.openStore("nightshift-incident-" + spec.name(), config);
        }

        /** The warehouse read through Iceberg without Spark, for the subcommands that only read: they answer at once. */
        WarehouseTables tables() {
            return common.openTables(common.loadConfig());
        }

        /** Prints the lines and returns success. */
        int print(String text) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code incident list}: one line per incident, most urgent first. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List incidents, most urgent first (priority, then severity score), with status, owner "
                    + "team and title.")
    static final class ListCases extends IncidentSubcommand {
        @Option(names = "--status", paramLabel = "S", description = "Only this status: new, open, contained, "
                + "resolved, closed or false_positive.")
        String status;

        @Option(names = "--severity", paramLabel = "S", description = "Only this severity or higher: informational, "
                + "low, medium, high or critical.")
        String severity;

        @Option(names = "--since", paramLabel = "DATE", converter = DateConverter.class,
                description = "Only incidents updated by a night on or after DATE (YYYY-MM-DD).")
        LocalDate since;

        @Option(names = "--limit", defaultValue = "200", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            CaseStatus only = status == null ? null : CaseStatus.parse(status);
            Severity min = null;
            if (severity != null) {
                min = Severity.parse(severity);
                if (min == null) {
                    throw NightshiftException.usage("--severity '" + severity + "' is not one of " + Severity.words());
                }
            }
            IncidentListing listing = new IncidentListing(only, min, since);
            IncidentListing.Page page;
            try (WarehouseTables tables = tables()) {
                page = listing.read(tables, limit);
            }
            String format = "%-21s %-3s %-13s %-14s %-20s %-10s %s%n";
            StringBuilder sb = new StringBuilder(String.format(format, "INCIDENT", "PRI", "SEVERITY", "STATUS",
                    "OWNER", "UPDATED", "TITLE"));
            for (StoredRow r : page.shown()) {
                sb.append(String.format(format, IncidentListing.cells(r).toArray()));
            }
            long total = page.total();
            sb.append(total).append(total == 1 ? " incident" : " incidents")
                    .append(total > page.shown().size() ? " (" + page.shown().size() + " shown; --limit for more)" : "")
                    .append('\n');
            return print(sb.toString());
        }
    }

    /** {@code incident show ID}: the whole case record. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the whole case record: summary, status, owner and escalation, severity and priority "
                    + "with their reasons, scope, affected customers, indicators, related incidents, findings, "
                    + "actions taken, triage verdicts, evidence with its verification, notifications, recommended "
                    + "next steps and lessons learned.")
    static final class Show extends IncidentSubcommand {
        @Parameters(index = "0", paramLabel = "ID", description = "Incident id, e.g. INC-20261118-1a2b3c4d.")
        String incident;

        @Option(names = "--format", defaultValue = "text", paramLabel = "F",
                description = "text (default), json or markdown.")
        String format;

        @Override
        public Integer call() {
            Ids.requireIncidentId(incident);
            CaseRecordFormat f = CaseRecordFormat.parse(format);
            try (WarehouseTables tables = tables()) {
                return print(f.render(CaseRecord.load(tables, incident)));
            }
        }
    }

    /** {@code incident act}: records an action and moves the status it implies. */
    @Command(name = "act", mixinStandardHelpOptions = true,
            description = "Record an action taken on an incident (appended to incident_actions). investigate opens a "
                    + "new incident, contain contains it, recover resolves it; eradicate (while open or contained), "
                    + "notify-customers and note leave the status as it is. An impossible move is refused, naming "
                    + "the current status and the allowed ones.")
    static final class Act extends IncidentSubcommand {
        @Option(names = "--incident", required = true, paramLabel = "ID", description = "Incident id.")
        String incident;

        @Option(names = "--action", required = true, paramLabel = "KIND",
                description = "investigate, contain, eradicate, recover, notify-customers or note.")
        String action;

        @Option(names = "--analyst", required = true, paramLabel = "NAME", description = "Who acted.")
        String analyst;

        @Option(names = "--text", required = true, paramLabel = "TEXT", description = "What was done.")
        String text;

        @Override
        public Integer call() {
            Ids.requireIncidentId(incident);
            ActionKind kind = ActionKind.parse(action);
            CaseBook.Recorded r = new CaseBook(open()).act(incident, kind, analyst, text);
            return print("recorded " + r.actionId() + ": " + r.action() + " on " + incident + (r.moved()
                    ? "; status " + r.before().word() + " → " + r.after().word() : "; status stays " + r.after().word())
                    + "\n");
        }
    }

    /** {@code incident close}: closes the case with its lessons learned. */
    @Command(name = "close", mixinStandardHelpOptions = true,
            description = "Close an incident (from resolved, or from new or open when there was nothing to contain) "
                    + "and record the lessons learned with the case.")
    static final class Close extends IncidentSubcommand {
        @Option(names = "--incident", required = true, paramLabel = "ID", description = "Incident id.")
        String incident;

        @Option(names = "--analyst", required = true, paramLabel = "NAME", description = "Who closes it.")
        String analyst;

        @Option(names = "--lessons", required = true, paramLabel = "TEXT",
                description = "What was learned: what to detect earlier, which rule to add or tune.")
        String lessons;

        @Override
        public Integer call() {
            Ids.requireIncidentId(incident);
            CaseBook.Recorded r = new CaseBook(open()).close(incident, analyst, lessons);
            return print("closed " + incident + " (was " + r.before().word() + "); lessons recorded as "
                    + r.actionId() + ". Draft a rule from it with: scripts/nightshift rules draft --from-incident "
                    + incident + " --out rules/drafts\n");
        }
    }
}
