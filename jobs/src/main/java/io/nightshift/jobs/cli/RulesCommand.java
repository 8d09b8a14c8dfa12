package io.nightshift.jobs.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import io.nightshift.jobs.base.ExitCodes;
import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.ConfigLoader;
import io.nightshift.jobs.config.RulesConfig;
import io.nightshift.jobs.detect.rules.Correlation;
import io.nightshift.jobs.detect.rules.Mitre;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.load.RuleLoader;
import io.nightshift.jobs.detect.rules.own.RulePromotion;
import io.nightshift.jobs.detect.rules.sigma.SigmaFieldMapping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code nightshift rules check|list|show}: validates, lists or explains a rules folder without Spark and without
 * reading data, so a rule change can be checked in CI before it reaches a nightly run; with {@code --config} the
 * rules load as {@code run} loads them (the configuration's Sigma field mappings and log sources).
 * {@code rules draft} ({@link RuleDraftCommand}) writes a new rule from an incident, {@code rules promote} makes an
 * experimental rule stable.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Validate, list and explain detection rules (Nightshift YAML and Sigma) without running anything; "
                + "draft a new experimental rule from an incident.",
        subcommands = {RulesCommand.Check.class, RulesCommand.List.class, RulesCommand.Show.class,
                RuleDraftCommand.class, RulesCommand.Promote.class, CommandLine.HelpCommand.class})
public final class RulesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: check, list, show, draft or promote");
    }

    static RuleCatalog load(Path dir) {
        return new RuleLoader(SigmaFieldMapping.defaultMapping(), Map.of()).load(dir);
    }

    /** Where the rules come from: a folder, and optionally the configuration whose rules section loads them. */
    static final class Source {
        @Option(names = "--config", paramLabel = "FILE",
                description = "Load the rules as run does with this configuration: its rules.sigma_field_mapping, "
                        + "rules.sigma_pipelines and rules.sigma_logsources; its rules.directory is the default DIR.")
        Path config;

        /** The folder: {@code dir} when given, else the configuration's rules.directory, else ./rules. */
        Path dir(Path dir) {
            if (dir != null) {
                return dir;
            }
            return config == null ? Path.of(RulesConfig.DEFAULT_DIRECTORY) : rulesConfig().directory();
        }

        RuleCatalog load(Path dir) {
            Path folder = dir(dir);
            return config == null ? RulesCommand.load(folder)
                    : RuleLoader.fromConfig(rulesConfig().withDirectory(folder)).load(folder);
        }

        private RulesConfig rulesConfig() {
            return ConfigLoader.load(config, Path.of("").toAbsolutePath()).rules();
        }
    }

    /** One warning line per Sigma field no mapping resolved, in the problem line's form. */
    static java.util.List<String> unmappedFieldWarnings(RuleCatalog catalog) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Rule r : catalog.rules()) {
            for (String f : r.unmappedFields()) {
                out.add(unmappedFieldWarning(r.sourceFile(), r.line(), r.id(), f));
            }
        }
        for (Correlation c : catalog.correlations()) {
            for (String f : c.unmappedFields()) {
                out.add(unmappedFieldWarning(c.sourceFile(), c.line(), c.id(), f));
            }
        }
        return out;
    }

    private static String unmappedFieldWarning(String file, int line, String id, String field) {
        return file + ":" + line + ": rule " + id + ": warning: Sigma field '" + field + "' has no mapping and is"
                + " read from attributes['" + field + "']; map it in rules.sigma_field_mapping or"
                + " rules.sigma_pipelines (and pass --config)";
    }

    /** {@code rules check DIR}: exit 0 when every rule is valid, 6 with one line per problem otherwise. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate every rule under DIR: unknown keys, fields and operators, bad regexes, windows and"
                    + " thresholds, duplicate ids. Prints FILE:LINE: rule ID: reason per problem; exit code 6 when"
                    + " there is any, including Sigma correlation rules and filters naming rules that do not exist."
                    + " Sigma rules using unsupported features (chained correlations among them) are reported as skipped, and Sigma fields no mapping resolves as warnings (neither is a failure"
                    + " unless --strict).")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
                description = "Folder of rule files, searched recursively (default: rules.directory of --config, "
                        + "else ./rules).")
        Path dir;

        @CommandLine.Mixin
        Source source;

        @Option(names = "--strict", description = "Also fail when a Sigma rule would be skipped as unsupported.")
        boolean strict;

        @Override
        public Integer call() {
            Path folder = source.dir(dir);
            RuleCatalog catalog = source.load(dir);
            PrintWriter out = spec.commandLine().getOut();
            catalog.errors().forEach(e -> out.println(e));
            catalog.skipped().forEach(e -> out.println(e));
            java.util.List<String> warnings = unmappedFieldWarnings(catalog);
            warnings.forEach(out::println);
            long sigma = catalog.rules().stream().filter(r -> r.format().name().equals("SIGMA")).count();
            out.printf("%s: %d rules valid (%d Sigma)%s, %d problems, %d Sigma rules skipped%s%n", folder,
                    catalog.rules().size(), sigma, catalog.correlations().isEmpty() ? ""
                            : ", " + catalog.correlations().size() + " Sigma correlations",
                    catalog.errors().size(), catalog.skipped().size(),
                    warnings.isEmpty() ? "" : ", " + warnings.size() + " unmapped Sigma fields");
            out.flush();
            boolean failed = !catalog.valid() || (strict && !catalog.skipped().isEmpty());
            return failed ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
        }
    }

    /** {@code rules list [DIR]}: one line per valid rule. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the rules under DIR: id, severity, MITRE tactic and technique, title, source file."
                    + " Invalid rules are left out (see rules check).")
    static final class List implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
                description = "Folder of rule files (default: rules.directory of --config, else ./rules).")
        Path dir;

        @CommandLine.Mixin
        Source source;

        @Override
        public Integer call() {
            RuleCatalog catalog = source.load(dir);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-40s %-13s %-7s %-10s %-60s %s%n", "ID", "SEVERITY", "TACTIC", "TECHNIQUE", "TITLE", "FILE");
            for (Rule r : catalog.rules()) {
                out.printf("%-40s %-13s %-7s %-10s %-60s %s:%d%n", r.id(),
                        r.severity().word() + (r.status().name().equals("EXPERIMENTAL") ? "*" : ""),
                        Mitre.idOf(r.mitre().tactic()), Mitre.idOf(r.mitre().technique()), r.title(),
                        r.sourceFile(), r.line());
            }
            for (Correlation c : catalog.correlations()) {
                out.printf("%-40s %-13s %-7s %-10s %-60s %s:%d%n", c.id(),
                        c.severity().word() + (c.status().name().equals("EXPERIMENTAL") ? "*" : ""),
                        Mitre.idOf(c.mitre().tactic()), Mitre.idOf(c.mitre().technique()),
                        c.title() + " [" + c.type().word() + "]", c.sourceFile(), c.line());
            }
            out.printf("%d rules%s (* experimental)%s%n", catalog.rules().size(), catalog.correlations().isEmpty()
                            ? "" : " and " + catalog.correlations().size() + " Sigma correlations [type]",
                    catalog.errors().isEmpty() && catalog.skipped().isEmpty() ? ""
                            : "; " + (catalog.errors().size() + catalog.skipped().size())
                            + " invalid or skipped, see: nightshift rules check " + source.dir(dir));
            out.flush();
            return catalog.errors().isEmpty() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
    }

    /** {@code rules show ID [DIR]}: one rule as it runs. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show the rule ID under DIR as it runs: its metadata, its condition as compiled (every test "
                    + "with its field, values and case rule), the predicate Spark evaluates, its threshold, and for a "
                    + "Sigma rule the field each Sigma field resolved to and by which mapping (fields no mapping "
                    + "resolves are listed as unmapped); for a Sigma correlation rule its type, window, base rules, "
                    + "group-by fields per base rule and condition. Exit code 4 when there is no valid rule ID.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "Rule id (see rules list).")
        String ruleId;

        @Parameters(index = "1", arity = "0..1", paramLabel = "DIR",
                description = "Folder of rule files (default: rules.directory of --config, else ./rules).")
        Path dir;

        @CommandLine.Mixin
        Source source;

        @Override
        public Integer call() {
            RuleCatalog catalog = source.load(dir);
            Rule r = catalog.rules().stream().filter(x -> x.id().equals(ruleId)).findFirst().orElse(null);
            Correlation c = catalog.correlations().stream().filter(x -> x.id().equals(ruleId)).findFirst()
                    .orElse(null);
            if (r == null && c == null) {
                throw NightshiftException.badInput("no valid rule with id '" + ruleId + "' under " + source.dir(dir)
                        + " (see rules list and rules check)");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (r != null) {
                RuleExplanation.print(r, catalog.correlationOnly().contains(r.id()), out);
            } else {
                RuleExplanation.print(c, catalog, out);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code rules promote ID [DIR]}: an experimental rule becomes stable (full score). */
    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Promote the experimental Nightshift rule ID under DIR to stable: its 'status: experimental'"
                    + " line becomes 'status: stable' (the rest of the file is left as written), so its findings score"
                    + " in full from the next run. Refuses while DIR has invalid rules (exit code 6).")
    static final class Promote implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "Rule id, e.g. LL-INC-20261117-1a2b3c4d.")
        String ruleId;

        @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", defaultValue = RulesConfig.DEFAULT_DIRECTORY,
                description = "Folder of rule files (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() {
            RuleCatalog catalog = load(dir);
            PrintWriter out = spec.commandLine().getOut();
            if (!catalog.valid()) {
                catalog.errors().forEach(e -> out.println(e));
                out.printf("%s has %d invalid rules; fix them (rules check) before promoting%n", dir,
                        catalog.errors().size());
                out.flush();
                return ExitCodes.CHECK_FAILED;
            }
            Path file = RulePromotion.promote(catalog, ruleId);
            out.println(file == null ? ruleId + " is already stable"
                    : "promoted " + ruleId + " in " + file + " to stable: its findings score in full from the next run");
            out.flush();
            return ExitCodes.OK;
        }
    }
}
