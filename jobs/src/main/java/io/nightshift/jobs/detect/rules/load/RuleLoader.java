package io.nightshift.jobs.detect.rules.load;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import io.nightshift.jobs.base.NightshiftException;
import io.nightshift.jobs.config.RulesConfig;
import io.nightshift.jobs.detect.rules.Rule;
import io.nightshift.jobs.detect.rules.RuleCatalog;
import io.nightshift.jobs.detect.rules.RuleSyntaxException;
import io.nightshift.jobs.detect.rules.RuleValidationError;
import io.nightshift.jobs.detect.rules.YamlNode;
import io.nightshift.jobs.detect.rules.own.RuleParser;
import io.nightshift.jobs.detect.rules.sigma.SigmaFieldMapping;
import io.nightshift.jobs.detect.rules.sigma.SigmaRuleLoader;

/**
 * Loads every rule under a directory (recursively, {@code *.yml} and {@code *.yaml}, in path order so the catalog is
 * the same on every machine). A document with a {@code detection} key is a Sigma rule ({@link SigmaRuleLoader}),
 * anything else a Nightshift rule ({@link RuleParser}). A file may hold several rules separated by {@code ---}.
 * Nothing here touches Spark: a catalog is checked before any data is read.
 */
public final class RuleLoader {
    private final SigmaFieldMapping sigmaFields;
    private final Map<String, List<String>> sigmaLogsources;

    public RuleLoader(SigmaFieldMapping sigmaFields, Map<String, List<String>> sigmaLogsources) {
        this.sigmaFields = sigmaFields;
        this.sigmaLogsources = Map.copyOf(sigmaLogsources);
    }

    /**
     * @throws NightshiftException (bad config) when {@code rules.sigma_field_mapping} maps to a field that is not
     *                             canonical
     */
    public static RuleLoader fromConfig(RulesConfig config) {
        SigmaFieldMapping mapping;
        try {
            mapping = new SigmaFieldMapping(config.sigmaFieldMapping());
        } catch (IllegalArgumentException e) {
            throw NightshiftException.badConfig("rules.sigma_field_mapping: " + e.getMessage());
        }
        return new RuleLoader(mapping, config.sigmaLogsources());
    }

    /** Loads {@code dir}; a missing directory is one error, not an exception, so {@code rules check} can say so. */
    public RuleCatalog load(Path dir) {
        List<Rule> rules = new ArrayList<>();
        List<RuleValidationError> errors = new ArrayList<>();
        List<RuleValidationError> skipped = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            errors.add(new RuleValidationError(dir.toString(), 0, null, "rules directory does not exist; set"
                    + " rules.directory in the configuration or pass the folder holding the rule files"));
            return new RuleCatalog(rules, errors, skipped);
        }
        for (Path file : ruleFiles(dir)) {
            loadFile(file, rules, errors, skipped);
        }
        Map<String, Rule> byId = new HashMap<>();
        for (Rule r : rules) {
            Rule first = byId.putIfAbsent(r.id(), r);
            if (first != null) {
                errors.add(new RuleValidationError(r.sourceFile(), r.line(), r.id(), "duplicate rule id; also defined"
                        + " at " + first.sourceFile() + ":" + first.line()));
            }
        }
        return new RuleCatalog(rules, errors, skipped);
    }

    private static List<Path> ruleFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yml") || p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list rules directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private void loadFile(Path file, List<Rule> rules, List<RuleValidationError> errors,
                          List<RuleValidationError> skipped) {
        String name = file.toString();
        List<YamlNode> docs;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            docs = YamlNode.documents(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            errors.add(new RuleValidationError(name, line, null, "not valid YAML: " + e.getProblem()));
            return;
        } catch (YAMLException e) {
            errors.add(new RuleValidationError(name, 1, null, "not valid YAML: " + firstLine(e.getMessage())));
            return;
        } catch (IOException e) {
            errors.add(new RuleValidationError(name, 1, null, "cannot read: " + e.getMessage()));
            return;
        }
        for (YamlNode doc : docs) {
            boolean sigma;
            try {
                sigma = doc.isMapping() && doc.entries().containsKey("detection");
            } catch (RuleSyntaxException e) {
                sigma = false; // RuleParser reports the same problem with the rule's context
            }
            Rule r = sigma ? new SigmaRuleLoader(name, sigmaFields, sigmaLogsources, errors, skipped).parse(doc)
                    : new RuleParser(name, errors).parse(doc);
            if (r != null) {
                rules.add(r);
            }
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
