package io.nightshift.jobs.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;

/**
 * The shape of the jobs module, so that it stays: layers that read as the pipeline, each importing only the ones
 * below it, and no import circle anywhere. A lower layer that needs something of a higher one owns an interface the
 * higher one implements (the stages' {@code History}, which the store implements), so no arrow runs back up.
 *
 * <pre>
 *   cli         the commands
 *   pipeline    a night: plan (tonight's model), read the lake, run the stages, materialise, publish; after-run steps
 *   after       after a night: metrics, report, notifications, maintenance (AfterRun)
 *   cases       analysts' work on stored incidents: triage, the case book, evidence checks, exports
 *   store       Iceberg tables, the write lock, job_runs, the model registry, stored history
 *   incidents   the night's findings to candidate incidents
 *   detect      trends, clusters, rules (own, sigma, load), intel: findings (siblings never import each other)
 *   aggregate   the day's trend aggregates
 *   stage       what a stage is: the night in, outputs out, history through a port
 *   lake        reading the log lake into canonical rows
 *   config      the one configuration tree, validated once
 *   redaction   masking secrets in log text
 *   schema      the canonical log schema and the result tables' definitions
 *   base        exceptions, exit codes, failures, progress, shared value types, Spark sessions
 * </pre>
 */
class LayersTest {
    static final String P = "io.nightshift.jobs.";
    /** Bottom to top. */
    static final List<String> LAYERS = List.of("base", "schema", "redaction", "config", "lake", "stage", "aggregate",
            "detect", "incidents", "store", "cases", "after", "pipeline", "cli");
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.nightshift.jobs");

    @Test
    void eachLayerImportsOnlyTheLayersBelowIt() {
        Architectures.LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            layers = layers.layer(layer).definedBy(P + layer + "..");
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            List<String> above = LAYERS.subList(i + 1, LAYERS.size());
            layers = above.isEmpty() ? layers.whereLayer(LAYERS.get(i)).mayNotBeAccessedByAnyLayer()
                    : layers.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
        }
        layers.check(CLASSES);
    }

    @Test
    void noPackageImportCircles() {
        slices().matching("io.nightshift.jobs.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theDetectorsDoNotImportEachOther() {
        slices().matching("io.nightshift.jobs.detect.(*)..").should().notDependOnEachOther()
                .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(P + "detect"))
                .check(CLASSES);
    }
}
