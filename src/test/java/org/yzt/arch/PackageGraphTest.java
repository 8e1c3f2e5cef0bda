package org.yzt.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the main code stays acyclic and layered: {@code contract} (the bus messages,
 * error codes) imports no other package of ours; the {@link #LAYERS} are shared layers below the
 * features, and every package is one of the three kinds; a feature never imports another feature (what two features
 * share is a contract record or a config record); only the application ({@code org.yzt},
 * {@code cli}, {@code embedded}) sees the features. No Vert.x internals anywhere.
 */
class PackageGraphTest {
  static final String[] FEATURES = {"captcha", "carrier", "enterprise", "frontdoor", "http", "pipeline", "ratelimit",
      "sim", "sms", "smscode"};
  /** Below the features: what two features share. */
  static final String[] LAYERS = {"bus", "cluster", "config", "contract", "limits", "partner", "privacy", "runtime", "store",
      "time", "tracing"};
  /** Above the features: what starts them (besides the root package). */
  static final String[] APPLICATION = {"cli", "embedded"};
  static JavaClasses main;

  @BeforeAll
  static void load() {
    // the compiled main code only: no dependency is scanned
    main = new ClassFileImporter().importPath(Path.of("target/classes"));
  }

  @Test
  void noPackageCycle() {
    slices().matching("org.yzt.(*)..").should().beFreeOfCycles().check(main);
  }

  /** A new package says which kind it is here, so the rules below cover it. */
  @Test
  void everyPackageIsAFeatureALayerOrTheApplication() {
    java.util.Set<String> named = new java.util.HashSet<>();
    for (String[] kind : new String[][] {FEATURES, LAYERS, APPLICATION}) {
      named.addAll(java.util.List.of(kind));
    }
    java.util.Set<String> unnamed = new java.util.TreeSet<>();
    main.forEach(c -> {
      String p = c.getPackageName();
      if (p.startsWith("org.yzt.")) {
        String top = p.substring("org.yzt.".length()).split("\\.")[0];
        if (!named.contains(top)) {
          unnamed.add(top);
        }
      }
    });
    org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(), unnamed, "packages in none of FEATURES, LAYERS, APPLICATION");
  }

  /** The slices above are the subpackages; the root package (App, Main) deploys them all, so nothing may import it. */
  @Test
  void nothingImportsTheApplicationRoot() {
    noClasses().that().resideOutsideOfPackage("org.yzt")
        .should().dependOnClassesThat().resideInAPackage("org.yzt")
        .check(main);
  }

  @Test
  void theContractImportsNoOtherPackageOfOurs() {
    noClasses().that().resideInAPackage("org.yzt.contract..")
        .should().dependOnClassesThat().resideOutsideOfPackages("org.yzt.contract..", "java..", "io.vertx..")
        .check(main);
  }

  @Test
  void theSharedLayersImportNoFeature() {
    for (String layer : LAYERS) {
      noClasses().that().resideInAPackage("org.yzt." + layer + "..")
          .should().dependOnClassesThat().resideInAnyPackage(packages(FEATURES))
          .check(main);
    }
  }

  @Test
  void noFeatureImportsAnotherFeature() {
    for (String feature : FEATURES) {
      String[] others = java.util.Arrays.stream(FEATURES).filter(f -> !f.equals(feature)).toArray(String[]::new);
      noClasses().that().resideInAPackage("org.yzt." + feature + "..")
          .should().dependOnClassesThat().resideInAnyPackage(packages(others))
          .because("what two features share belongs in org.yzt.contract or org.yzt.config")
          .check(main);
    }
  }

  @Test
  void noVertxInternals() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.internal..", "io.vertx..impl..")
        .check(main);
  }

  private static String[] packages(String... names) {
    return java.util.Arrays.stream(names).map(n -> "org.yzt." + n + "..").toArray(String[]::new);
  }
}
