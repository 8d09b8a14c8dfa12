package io.nightshift.jobs.detect.rules.load;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import io.nightshift.jobs.detect.rules.sigma.SigmaPipeline;
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
     * The loader a run uses: {@code rules.sigma_field_mapping}, {@code rules.sigma_pipelines} and
     * {@code rules.sigma_logsources} of the configuration.
     *
     * @throws NightshiftException (bad config) when a mapping's target is not a canonical field, or a shipped
     *                             pipeline does not exist, naming the key
     */
    public static RuleLoader fromConfig(RulesConfig config) {
        List<SigmaPipeline> pipelines = new ArrayList<>();
        for (int i = 0; i < config.sigmaPipelines().size(); i++) {
            RulesConfig.SigmaPipelineSpec spec = config.sigmaPipelines().get(i);
            String key = "rules.sigma_pipelines[" + i + "]";
            try {
                pipelines.add(pipeline(spec, key));
            } catch (IllegalArgumentException e) {
                throw NightshiftException.badConfig(key + ": " + e.getMessage());
            }
        }
        SigmaFieldMapping mapping;
        try {
            mapping = new SigmaFieldMapping(config.sigmaFieldMapping(), pipelines);
        } catch (IllegalArgumentException e) {
            throw NightshiftException.badConfig("rules.sigma_field_mapping: " + e.getMessage());
        }
        return new RuleLoader(mapping, config.sigmaLogsources());
    }

    private static SigmaPipeline pipeline(RulesConfig.SigmaPipelineSpec spec, String key) {
        if (spec.shipped() == null) {
            return new SigmaPipeline(key, spec.logsource(), spec.fields());
        }
        SigmaPipeline shipped = SigmaPipeline.shipped(spec.shipped());
        Map<String, String> fields = new LinkedHashMap<>(shipped.fields());
        fields.putAll(spec.fields());
        return new SigmaPipeline(shipped.name(), spec.logsource().isEmpty() ? shipped.logsource() : spec.logsource(),
                fields);
    }

    public SigmaFieldMapping sigmaFields() {
        return sigmaFields;
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
            String sigmaKind = unsupportedSigmaKind(doc);
            if (sigmaKind != null) {
                skipped.add(new RuleValidationError(name, doc.line(), sigmaId(doc), sigmaKind + " not supported yet"));
                continue;
            }
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

    /**
     * "Sigma correlation rule" or "Sigma filter" for a document that is one (a {@code correlation} key; a
     * {@code filter} key holding {@code rules} or a {@code condition}), which this loader does not run yet: one clear
     * reason instead of the errors of reading it as a Nightshift rule. Null for anything else.
     */
    static String unsupportedSigmaKind(YamlNode doc) {
        try {
            if (!doc.isMapping()) {
                return null;
            }
            Map<String, YamlNode.Entry> e = doc.entries();
            if (e.containsKey("detection") || e.containsKey("condition")) {
                return null;
            }
            if (e.containsKey("correlation")) {
                return "Sigma correlation rule";
            }
            YamlNode.Entry filter = e.get("filter");
            if (filter != null && filter.value().isMapping() && (filter.value().entries().containsKey("rules")
                    || filter.value().entries().containsKey("condition"))) {
                return "Sigma filter";
            }
        } catch (RuleSyntaxException e) {
            return null; // the parsers report the malformed document with its context
        }
        return null;
    }

    private static String sigmaId(YamlNode doc) {
        YamlNode.Entry id = doc.entries().get("id");
        if (id == null || !id.value().isScalar()) {
            id = doc.entries().get("name");
        }
        return id == null || !id.value().isScalar() ? null : id.value().text();
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
