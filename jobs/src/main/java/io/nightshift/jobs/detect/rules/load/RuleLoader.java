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
import io.nightshift.jobs.detect.rules.Correlation;
import io.nightshift.jobs.detect.rules.sigma.SigmaBaseRule;
import io.nightshift.jobs.detect.rules.sigma.SigmaCorrelationLoader;
import io.nightshift.jobs.detect.rules.sigma.SigmaFieldMapping;
import io.nightshift.jobs.detect.rules.sigma.SigmaFilterLoader;
import io.nightshift.jobs.detect.rules.sigma.SigmaMetaRules;
import io.nightshift.jobs.detect.rules.sigma.SigmaPipeline;
import io.nightshift.jobs.detect.rules.sigma.SigmaRuleLoader;
import io.nightshift.jobs.detect.rules.sigma.SigmaUnsupportedException;

/**
 * Loads every rule under a directory (recursively, {@code *.yml} and {@code *.yaml}, in path order so the catalog is
 * the same on every machine). A document with a {@code detection} key is a Sigma rule ({@link SigmaRuleLoader}),
 * a document with a {@code correlation} key a Sigma correlation rule ({@link SigmaCorrelationLoader}), one with a
 * {@code filter} section a Sigma filter ({@link SigmaFilterLoader}), anything else a Nightshift rule
 * ({@link RuleParser}). A file may hold several documents separated by {@code ---} (a correlation and its base rules
 * in one file, as SigmaHQ writes them); filters and correlations refer to Sigma rules of any file of the folder.
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
        Loaded loaded = new Loaded();
        if (!Files.isDirectory(dir)) {
            loaded.errors.add(new RuleValidationError(dir.toString(), 0, null, "rules directory does not exist; set"
                    + " rules.directory in the configuration or pass the folder holding the rule files"));
            return new RuleCatalog(List.of(), loaded.errors, loaded.skipped);
        }
        for (Path file : ruleFiles(dir)) {
            loadFile(file, loaded);
        }
        List<Rule> rules = new ArrayList<>(loaded.rules);
        List<Correlation> correlations = new SigmaMetaRules(sigmaFields, sigmaLogsources, loaded.errors,
                loaded.skipped).resolve(loaded.sigma, loaded.leftOut, loaded.filters, loaded.correlations, rules);
        Map<String, String> byId = new HashMap<>();
        for (Rule r : rules) {
            duplicate(byId, r.id(), r.sourceFile(), r.line(), loaded.errors);
        }
        for (Correlation c : correlations) {
            duplicate(byId, c.id(), c.sourceFile(), c.line(), loaded.errors);
        }
        return new RuleCatalog(rules, loaded.errors, loaded.skipped, correlations);
    }

    private static void duplicate(Map<String, String> byId, String id, String file, int line,
                                  List<RuleValidationError> errors) {
        String first = byId.putIfAbsent(id, file + ":" + line);
        if (first != null) {
            errors.add(new RuleValidationError(file, line, id, "duplicate rule id; also defined at " + first));
        }
    }

    /** What the files hold, before Sigma filters and correlations are resolved against the Sigma rules. */
    private static final class Loaded {
        final List<Rule> rules = new ArrayList<>();
        final List<SigmaBaseRule> sigma = new ArrayList<>();
        /** Ids and names of Sigma rules left out (invalid or unsupported): what filters may name and skip over. */
        final java.util.Set<String> leftOut = new java.util.HashSet<>();
        final List<SigmaFilterLoader> filters = new ArrayList<>();
        final List<SigmaCorrelationLoader.Draft> correlations = new ArrayList<>();
        final List<RuleValidationError> errors = new ArrayList<>();
        final List<RuleValidationError> skipped = new ArrayList<>();
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

    private void loadFile(Path file, Loaded loaded) {
        String name = file.toString();
        List<YamlNode> docs;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            docs = YamlNode.documents(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            loaded.errors.add(new RuleValidationError(name, line, null, "not valid YAML: " + e.getProblem()));
            return;
        } catch (YAMLException e) {
            loaded.errors.add(new RuleValidationError(name, 1, null, "not valid YAML: " + firstLine(e.getMessage())));
            return;
        } catch (IOException e) {
            loaded.errors.add(new RuleValidationError(name, 1, null, "cannot read: " + e.getMessage()));
            return;
        }
        for (YamlNode doc : docs) {
            if (SigmaCorrelationLoader.isCorrelation(doc)) {
                correlation(name, doc, loaded);
            } else if (SigmaFilterLoader.isFilter(doc)) {
                filter(name, doc, loaded);
            } else if (isSigma(doc)) {
                int before = loaded.errors.size() + loaded.skipped.size();
                Rule r = new SigmaRuleLoader(name, sigmaFields, sigmaLogsources, loaded.errors, loaded.skipped)
                        .parse(doc);
                if (r != null) {
                    loaded.rules.add(r);
                    loaded.sigma.add(new SigmaBaseRule(r, sigmaText(doc, "name"), SigmaRuleLoader.logsource(doc)));
                } else if (loaded.errors.size() + loaded.skipped.size() > before) {
                    loaded.leftOut.add(String.valueOf(sigmaText(doc, "id")));
                    loaded.leftOut.add(String.valueOf(sigmaText(doc, "name")));
                }
            } else {
                Rule r = new RuleParser(name, loaded.errors).parse(doc);
                if (r != null) {
                    loaded.rules.add(r);
                }
            }
        }
    }

    private static boolean isSigma(YamlNode doc) {
        try {
            return doc.isMapping() && doc.entries().containsKey("detection");
        } catch (RuleSyntaxException e) {
            return false; // RuleParser reports the same problem with the rule's context
        }
    }

    private static void correlation(String file, YamlNode doc, Loaded loaded) {
        try {
            loaded.correlations.add(SigmaCorrelationLoader.parse(file, doc));
        } catch (SigmaUnsupportedException e) {
            loaded.skipped.add(new RuleValidationError(file, e.line(), sigmaId(doc), "Sigma correlation rule"
                    + " skipped: " + e.getMessage()));
        } catch (RuleSyntaxException e) {
            loaded.errors.add(new RuleValidationError(file, e.line(), sigmaId(doc), e.getMessage()));
        }
    }

    private static void filter(String file, YamlNode doc, Loaded loaded) {
        try {
            loaded.filters.add(SigmaFilterLoader.parse(file, doc));
        } catch (RuleSyntaxException e) {
            loaded.errors.add(new RuleValidationError(file, e.line(), sigmaId(doc), e.getMessage()));
        }
    }

    /** The document's id (or, failing that, its title's id), for problems reported before it is read whole. */
    private static String sigmaId(YamlNode doc) {
        try {
            return SigmaCorrelationLoader.idOf(doc);
        } catch (RuleSyntaxException e) {
            return null;
        }
    }

    private static String sigmaText(YamlNode doc, String key) {
        YamlNode.Entry e = doc.entries().get(key);
        return e == null || !e.value().isScalar() ? null : e.value().text().trim();
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
