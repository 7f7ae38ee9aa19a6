package io.portwatch.testarch;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

/**
 * The import scan of issue 17: no cycle between the packages of a module's main code. A package
 * directly under the root, with its sub-packages, is one component ({@code agent.probe} holds
 * {@code probe.tcp} and {@code probe.udp}, the engine's strategies, which may use it and be used by
 * it); the root package's own classes are another. A dependency from one component to another and
 * back fails, with the classes that make each edge.
 * Read from the compiled main classes (tests excluded), so an import that only javadoc uses does
 * not count, and a fully qualified name without an import does.
 */
public final class PackageCycles {

    private PackageCycles() {
    }

    /** Fails (with ArchUnit's report of every cycle and its edges) when packages under root form a cycle. */
    public static void assertNone(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(rootPackage);
        if (classes.isEmpty()) {
            throw new AssertionError("no main classes found under " + rootPackage); // a scan of nothing passes nothing
        }
        SlicesRuleDefinition.slices().assignedFrom(new EachPackage(rootPackage))
                .should().beFreeOfCycles()
                .check(classes);
    }

    private record EachPackage(String root) implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (pkg.equals(root)) {
                return SliceIdentifier.of(root);
            }
            if (!pkg.startsWith(root + ".")) {
                return SliceIdentifier.ignore();
            }
            String rest = pkg.substring(root.length() + 1);
            int dot = rest.indexOf('.');
            return SliceIdentifier.of(root + "." + (dot < 0 ? rest : rest.substring(0, dot)));
        }

        @Override
        public String getDescription() {
            return "each package directly under " + root + " with its sub-packages, and " + root + " itself";
        }
    }
}
