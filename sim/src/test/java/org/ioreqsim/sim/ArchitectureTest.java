package org.ioreqsim.sim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, pinned so that it cannot drift back (docs/architecture.md draws it): the model
 * modules point one way (ioreq-actors at the bottom, then vcpu-actors, then domain-actors), and inside
 * {@code sim} the shared exceptions and value types are the ground floor, {@code exec}, {@code report},
 * {@code scenario} and {@code cluster} (cluster membership, which imports no feature) the next, {@code machine} (one Xen machine builder, on {@code exec}) above them, the features ({@code run}, {@code trace}, {@code script},
 * {@code stress}) above them and independent of each other, then {@code testkit} and {@code bench}, and
 * the picocli commands of {@code cli} on top, imported by nothing.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importTheShippedClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("jmh_generated"))
                .importPackages("org.ioreqsim");
    }

    @Test
    void nothingButTheCommandsImportsCli() {
        noClasses().that().resideOutsideOfPackage("org.ioreqsim.sim.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.ioreqsim.sim.cli..")
                .because("cli/ holds the picocli commands, the top floor; features report bad input with "
                        + "org.ioreqsim.sim.UserInputException")
                .check(classes);
    }

    @Test
    void theModelModulesPointOneWay() {
        noClasses().that().resideInAPackage("org.ioreqsim.ioreq..")
                .should().dependOnClassesThat().resideInAnyPackage("org.ioreqsim.vcpu..", "org.ioreqsim.domain..",
                        "org.ioreqsim.sim..")
                .check(classes);
        noClasses().that().resideInAPackage("org.ioreqsim.vcpu..")
                .should().dependOnClassesThat().resideInAnyPackage("org.ioreqsim.domain..", "org.ioreqsim.sim..")
                .check(classes);
        noClasses().that().resideInAPackage("org.ioreqsim.domain..")
                .should().dependOnClassesThat().resideInAPackage("org.ioreqsim.sim..")
                .check(classes);
    }

    @Test
    void theSimModuleIsLayered() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("org.ioreqsim.sim..")
                .layer("Shared").definedBy("org.ioreqsim.sim")
                .layer("Exec").definedBy("org.ioreqsim.sim.exec..")
                .layer("Machine").definedBy("org.ioreqsim.sim.machine..")
                .layer("Report").definedBy("org.ioreqsim.sim.report..")
                .layer("Scenario").definedBy("org.ioreqsim.sim.scenario..")
                .layer("Cluster").definedBy("org.ioreqsim.sim.cluster..")
                .layer("Run").definedBy("org.ioreqsim.sim.run..")
                .layer("Trace").definedBy("org.ioreqsim.sim.trace..")
                .layer("Script").definedBy("org.ioreqsim.sim.script..")
                .layer("Stress").definedBy("org.ioreqsim.sim.stress..")
                .layer("Testkit").definedBy("org.ioreqsim.sim.testkit..")
                .layer("Bench").definedBy("org.ioreqsim.sim.bench..")
                .layer("Cli").definedBy("org.ioreqsim.sim.cli..")
                .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("Bench").mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("Testkit").mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("Run").mayOnlyBeAccessedByLayers("Bench", "Cli")
                .whereLayer("Trace").mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("Script").mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("Stress").mayOnlyBeAccessedByLayers("Testkit", "Bench", "Cli")
                .whereLayer("Scenario").mayOnlyBeAccessedByLayers("Run", "Bench", "Cli")
                .whereLayer("Cluster").mayOnlyBeAccessedByLayers("Run", "Trace", "Script", "Stress", "Testkit",
                        "Bench", "Cli")
                .whereLayer("Machine").mayOnlyBeAccessedByLayers("Run", "Trace", "Script", "Stress", "Testkit",
                        "Bench", "Cli")
                .whereLayer("Report").mayOnlyBeAccessedByLayers("Run", "Trace", "Script", "Stress", "Testkit",
                        "Bench", "Cli")
                .whereLayer("Exec").mayOnlyBeAccessedByLayers("Machine", "Run", "Trace", "Script", "Stress", "Testkit",
                        "Bench", "Cli")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.ioreqsim.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("org.ioreqsim.sim.(*)..").should().beFreeOfCycles().check(classes);
    }
}
