package io.nightshift.jobs.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.nightshift.jobs.base.Location;
import io.nightshift.jobs.base.NightshiftException;

/**
 * Reads the YAML configuration into a {@link NightshiftConfig}, fills defaults, resolves relative paths against the
 * file's folder and validates every value. Unknown keys are errors: a misspelt key silently ignored is a night of
 * wrong results.
 */
public final class ConfigLoader {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ConfigLoader() {
    }

    /** Loads {@code file}; {@code null} means "no file": the built-in defaults relative to {@code baseDir}. */
    public static NightshiftConfig load(Path file, Path baseDir) {
        if (file == null) {
            return resolve(new RawConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null), baseDir, "built-in defaults");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw NightshiftException.badConfig("config file " + file + " does not exist or is not readable");
        }
        RawConfig raw;
        try {
            raw = mapper().readValue(file.toFile(), RawConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw NightshiftException.badConfig("config file " + file + ": unknown key '" + path(e)
                    + "' (known keys here: " + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonParseException syntax) {
                throw notYaml(file, syntax);
            }
            throw NightshiftException.badConfig("config file " + file + ": bad value at '" + path(e) + "': "
                    + firstLine(e.getOriginalMessage()));
        } catch (JsonParseException e) {
            throw notYaml(file, e);
        } catch (IOException e) {
            throw NightshiftException.badConfig("config file " + file + " cannot be read: " + e.getMessage());
        }
        if (raw == null) {
            raw = new RawConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
        return resolve(raw, file.toAbsolutePath().getParent(), "config file " + file);
    }

    private static NightshiftException notYaml(Path file, JsonProcessingException e) {
        return NightshiftException.badConfig("config file " + file + " is not valid YAML (line "
                + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): "
                + firstLine(e.getOriginalMessage()));
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]");
        }
        return sb.toString();
    }

    private static NightshiftConfig resolve(RawConfig raw, Path base, String origin) {
        RawLake lake = raw.lake() == null ? new RawLake(null, null, null, null, null, null) : raw.lake();
        RawWarehouse wh = raw.warehouse() == null ? new RawWarehouse(null, null, null, null, null, null) : raw.warehouse();
        RawReference ref = raw.reference() == null ? new RawReference(null, null) : raw.reference();
        RawTrends tr = raw.trends() == null ? new RawTrends(null, null, null, null) : raw.trends();

        var lakeConfig = new NightshiftConfig.LakeConfig(
                location(origin, "lake.root", base, lake.root(), "data-samples/lake"),
                orDefault(lake.partitionColumn(), "date"),
                lake.columns(),
                lake.timestampFormat(),
                lake.dedupKey(),
                lake.ignoreCorruptFiles() != null && lake.ignoreCorruptFiles());
        var whConfig = new NightshiftConfig.WarehouseConfig(
                location(origin, "warehouse.path", base, wh.path(), "warehouse"),
                identifier(origin, "warehouse.catalog", orDefault(wh.catalog(), "nightshift")),
                identifier(origin, "warehouse.namespace", orDefault(wh.namespace(), "nightshift")),
                wh.catalogProperties(),
                wh.allowHadoopCatalogOnObjectStore() != null && wh.allowHadoopCatalogOnObjectStore(),
                lockMode(origin, wh.lock()));
        var refConfig = new NightshiftConfig.ReferenceConfig(
                location(origin, "reference.service_catalog", base, ref.serviceCatalog(),
                        "data-samples/reference/service_catalog.csv"),
                location(origin, "reference.tenant_directory", base, ref.tenantDirectory(),
                        "data-samples/reference/tenants.csv"));
        var trendsConfig = new NightshiftConfig.TrendsConfig(
                ConfigValues.atLeast(origin, "trends.history_days", tr.historyDays(), 28, 1),
                ConfigValues.atLeast(origin, "trends.recompute_days", tr.recomputeDays(), 0, 0),
                ConfigValues.atLeast(origin, "trends.min_history_points", tr.minHistoryPoints(), 7, 2),
                ConfigValues.positive(origin, "trends.z_threshold", tr.zThreshold(), 6.0));
        RawIncidents inc = raw.incidents() == null ? new RawIncidents(null, null, null, null, null, null) : raw.incidents();
        IncidentsConfig dflt = IncidentsConfig.defaults();
        if (inc.severityWeights() != null) {
            for (var w : inc.severityWeights().entrySet()) {
                if (!IncidentsConfig.CRITERIA.contains(w.getKey())) {
                    throw NightshiftException.badConfig(origin + ": incidents.severity_weights has unknown criterion '"
                            + w.getKey() + "'; criteria are " + IncidentsConfig.CRITERIA);
                }
                if (w.getValue() == null || w.getValue() < 0) {
                    throw NightshiftException.badConfig(origin + ": incidents.severity_weights." + w.getKey()
                            + " must be 0 or more, got " + w.getValue());
                }
            }
        }
        var incidentsConfig = new IncidentsConfig(
                ConfigValues.atLeast(origin, "incidents.correlation_gap_minutes", inc.correlationGapMinutes(),
                        dflt.correlationGapMinutes(), 1),
                ConfigValues.atLeast(origin, "incidents.max_evidence_per_finding", inc.maxEvidencePerFinding(),
                        dflt.maxEvidencePerFinding(), 1),
                ConfigValues.atLeast(origin, "incidents.false_positive_days", inc.falsePositiveDays(), dflt.falsePositiveDays(), 1),
                ConfigValues.atLeast(origin, "incidents.max_findings_per_night", inc.maxFindingsPerNight(),
                        dflt.maxFindingsPerNight(), 1),
                inc.minScoreToOpen() == null ? dflt.minScoreToOpen() : inc.minScoreToOpen(),
                inc.severityWeights());
        AnomalyConfig anomalyConfig = anomaly(origin, raw.anomaly());
        LakeColumnsCheck.check(origin, lakeConfig.columns());
        return new NightshiftConfig(lakeConfig, whConfig, refConfig, trendsConfig, anomalyConfig,
                io.nightshift.jobs.config.RulesConfig.resolve(raw.rules(), base, origin),
                io.nightshift.jobs.config.IntelConfig.resolve(raw.intel(), base, origin), incidentsConfig,
                raw.spark() == null ? Map.of() : new LinkedHashMap<>(raw.spark()),
                io.nightshift.jobs.config.ReportConfig.resolve(raw.report(), base, origin),
                io.nightshift.jobs.config.RedactionConfig.resolve(raw.redaction(), origin),
                io.nightshift.jobs.config.MaintenanceConfig.resolve(raw.maintenance(), origin),
                io.nightshift.jobs.config.EscalationConfig.resolve(raw.escalation(), origin),
                io.nightshift.jobs.config.NotificationsConfig.resolve(raw.notifications(), base, origin),
                io.nightshift.jobs.config.MetricsConfig.resolve(raw.metrics(), origin));
    }

    private static String orDefault(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v;
    }

    private static Location location(String origin, String key, Path base, String value, String dflt) {
        return ConfigValues.location(origin, key, base, orDefault(value, dflt));
    }

    private static NightshiftConfig.LockMode lockMode(String origin, String value) {
        if (value == null || value.isBlank()) {
            return NightshiftConfig.LockMode.AUTO;
        }
        for (NightshiftConfig.LockMode mode : NightshiftConfig.LockMode.values()) {
            if (mode.name().equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw NightshiftException.badConfig(origin + ": warehouse.lock must be auto, file, database or none, got '"
                + value + "'");
    }

    private static String identifier(String origin, String key, String value) {
        if (!IDENTIFIER.matcher(value).matches()) {
            throw NightshiftException.badConfig(origin + ": " + key + " must be a plain identifier "
                    + "(letters, digits, underscore), got '" + value + "'");
        }
        return value;
    }

    private static AnomalyConfig anomaly(String origin, RawAnomaly a) {
        AnomalyConfig d = AnomalyConfig.defaults();
        if (a == null) {
            return d;
        }
        String algorithm = orDefault(a.algorithm(), d.algorithm());
        if (!List.of("kmeans", "bisecting_kmeans", "gmm").contains(algorithm)) {
            throw NightshiftException.badConfig(origin + ": anomaly.algorithm must be kmeans, bisecting_kmeans or gmm,"
                    + " got '" + algorithm + "'");
        }
        double threshold = a.threshold() == null ? d.threshold() : a.threshold();
        if (threshold <= 0 || threshold >= 100) {
            throw NightshiftException.badConfig(origin + ": anomaly.threshold must be between 0 and 100, got "
                    + threshold);
        }
        List<AnomalyConfig.View> views = d.views();
        if (a.views() != null) {
            views = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < a.views().size(); i++) {
                RawView v = a.views().get(i);
                String where = origin + ": anomaly.views[" + i + "]";
                if (v.name() == null || !IDENTIFIER.matcher(v.name()).matches() || !names.add(v.name())) {
                    throw NightshiftException.badConfig(where + ": name must be a unique identifier, got '"
                            + v.name() + "'");
                }
                if (v.entity() == null || v.entity().isEmpty()) {
                    throw NightshiftException.badConfig(where + ": entity must list canonical columns, e.g. [host]");
                }
                for (String e : v.entity()) {
                    if (!io.nightshift.jobs.schema.CanonicalSchema.COLUMNS.containsKey(e)) {
                        throw NightshiftException.badConfig(where + ": entity column '" + e
                                + "' is not a canonical column");
                    }
                }
                try {
                    io.nightshift.jobs.config.WindowLength.seconds(String.valueOf(v.window()));
                } catch (IllegalArgumentException e) {
                    throw NightshiftException.badConfig(where + ": " + e.getMessage());
                }
                views.add(new AnomalyConfig.View(v.name(), v.entity(), v.window()));
            }
        }
        return new AnomalyConfig(
                ConfigValues.atLeast(origin, "anomaly.training_days", a.trainingDays(), d.trainingDays(), 1),
                ConfigValues.atLeast(origin, "anomaly.max_model_age_days", a.maxModelAgeDays(), d.maxModelAgeDays(), 0),
                algorithm, threshold, ConfigValues.fraction(origin, "anomaly.small_cluster_fraction", a.smallClusterFraction(), d.smallClusterFraction()),
                ConfigValues.atLeast(origin, "anomaly.max_training_messages", a.maxTrainingMessages(), d.maxTrainingMessages(), 100),
                views);
    }

    record RawConfig(RawLake lake, RawWarehouse warehouse, RawReference reference, RawTrends trends,
                     RawAnomaly anomaly, io.nightshift.jobs.config.RulesConfig.Raw rules,
                     io.nightshift.jobs.config.IntelConfig.Raw intel, RawIncidents incidents,
                     Map<String, String> spark, io.nightshift.jobs.config.ReportConfig.Raw report,
                     io.nightshift.jobs.config.RedactionConfig.Raw redaction,
                     io.nightshift.jobs.config.MaintenanceConfig.Raw maintenance,
                     io.nightshift.jobs.config.EscalationConfig.Raw escalation,
                     io.nightshift.jobs.config.NotificationsConfig.Raw notifications,
                     io.nightshift.jobs.config.MetricsConfig.Raw metrics) {
    }

    record RawAnomaly(Integer trainingDays, Integer maxModelAgeDays, String algorithm, Double threshold,
                      Double smallClusterFraction, Integer maxTrainingMessages, List<RawView> views) {
    }

    record RawView(String name, List<String> entity, String window) {
    }

    record RawIncidents(Integer correlationGapMinutes, Integer maxEvidencePerFinding, Integer falsePositiveDays,
                        Integer maxFindingsPerNight, Double minScoreToOpen, Map<String, Double> severityWeights) {
    }

    record RawLake(String root, String partitionColumn, Map<String, String> columns, String timestampFormat,
                   String dedupKey, Boolean ignoreCorruptFiles) {
    }

    record RawWarehouse(String path, String catalog, String namespace, Map<String, String> catalogProperties,
                        Boolean allowHadoopCatalogOnObjectStore, String lock) {
    }

    record RawReference(String serviceCatalog, String tenantDirectory) {
    }

    record RawTrends(Integer historyDays, Integer recomputeDays, Integer minHistoryPoints, Double zThreshold) {
    }
}
