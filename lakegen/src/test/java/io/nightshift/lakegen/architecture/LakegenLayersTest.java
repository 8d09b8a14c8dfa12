package io.nightshift.lakegen.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The generator's shape: {@code world} (the fictional company: services, topology, people, message templates and
 * how traffic and operations are drawn from them) at the bottom, {@code scenario} (the labelled incidents placed in
 * that world) above it, and the lake writing on top; no import circle.
 */
class LakegenLayersTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.nightshift.lakegen");

    @Test
    void theWorldIsBelowTheScenariosWhichAreBelowTheLakeWriter() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("world").definedBy("io.nightshift.lakegen.world..")
                .layer("scenario").definedBy("io.nightshift.lakegen.scenario..")
                .layer("lake").definedBy("io.nightshift.lakegen")
                .whereLayer("lake").mayNotBeAccessedByAnyLayer()
                .whereLayer("scenario").mayOnlyBeAccessedByLayers("lake")
                .whereLayer("world").mayOnlyBeAccessedByLayers("scenario", "lake")
                .check(CLASSES);
    }

    @Test
    void noPackageImportCircles() {
        slices().matching("io.nightshift.lakegen.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
