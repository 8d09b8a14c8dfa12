package io.nightshift.jobs.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.cases.IncidentCase;
import io.nightshift.jobs.cases.IncidentCaseReader;
import io.nightshift.jobs.cases.RuleDrafter;
import io.nightshift.jobs.config.NightshiftConfig;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleValidationError;
import io.nightshift.jobs.detect.rules.load.RuleLoader;
import io.nightshift.jobs.detect.rules.own.RuleWriter;
import io.nightshift.jobs.store.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nightshift rules draft --from-incident ID --out DIR}: a lesson learned as a rule file. Reads the incident
 * from the warehouse, drafts an experimental rule from it ({@link RuleDrafter} documents how), writes it in the
 * catalog's format and checks the written file with the same loader {@code rules check} uses, so what it leaves
 * behind always loads.
 */
@Command(name = "draft", mixinStandardHelpOptions = true,
        description = "Draft an experimental rule from an incident: the condition of the rule behind its strongest "
                + "rule finding, narrowed to the incident's tenants and services, with the threshold lowered to half "
                + "of what was observed (at most the rule's own); for incidents without a rule finding, its log "
                + "templates and entities. Writes DIR/LL-<incident id>.yml (replacing an earlier draft of the same "
                + "incident; DIR is created when missing) and checks it as 'rules check' would. Copy it into the rules "
                + "directory to run it: experimental rules score x0.6 until 'rules promote'.")
public final class RuleDraftCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--from-incident", required = true, paramLabel = "ID",
            description = "Incident to learn from, e.g. INC-20261117-1a2b3c4d.")
    String incidentId;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the rule file to.")
    Path out;

    @Override
    public Integer call() {
        Ids.requireIncidentId(incidentId);
        NightshiftConfig config = common.loadConfig();
        RuleCatalog catalog = RuleLoader.fromConfig(config.rules()).load(config.rules().directory());
        ResultsStore store = common.openStore("nightshift-rules-draft", config);
        IncidentCase incident = new IncidentCaseReader(store).read(incidentId);
        Path file = write(new RuleDrafter(catalog.rules()), incident, out);
        List<RuleValidationError> problems = check(file);
        if (!problems.isEmpty()) {
            problems.forEach(System.out::println);
            System.out.println("drafted " + file + " but it does not pass rules check (a bug: please report it with "
                    + "the incident id); fix the lines above before using it");
            return ExitCodes.CHECK_FAILED;
        }
        System.out.println("drafted " + file + " from incident " + incidentId + "; it passes rules check.");
        System.out.println("Review it, then copy it into " + config.rules().directory() + " to run it nightly as "
                + "experimental (score x0.6); promote it with: scripts/nightshift rules promote "
                + RuleDrafter.ID_PREFIX + incidentId);
        return ExitCodes.OK;
    }

    /** Drafts and writes {@code DIR/<rule id>.yml}; returns the file. */
    static Path write(RuleDrafter drafter, IncidentCase incident, Path dir) {
        Path file = dir.resolve(RuleDrafter.ID_PREFIX + incident.incidentId() + ".yml");
        Rule rule = drafter.draft(incident, file.toString());
        try {
            Files.createDirectories(dir);
            Files.writeString(file, RuleWriter.write(rule, List.of(
                    "Drafted by 'nightshift rules draft --from-incident " + incident.incidentId() + "'.",
                    "Experimental: it runs and records findings at x0.6 of the score until promoted.")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the drafted rule to " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** The problems 'rules check' reports for the written file (the other files of its folder are not ours). */
    static List<RuleValidationError> check(Path file) {
        RuleCatalog written = RulesCommand.load(file.getParent());
        return written.errors().stream().filter(e -> e.file().equals(file.toString())).toList();
    }
}
