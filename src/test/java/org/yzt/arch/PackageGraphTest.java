package org.yzt.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the main code stays acyclic and layered: {@code contract} (the bus messages,
 * error codes) imports no other package of ours; {@code common}, {@code config} and {@code runtime}
 * are shared layers below the features; a feature never imports another feature (what two features
 * share is a contract record or a config record); only the application ({@code org.yzt},
 * {@code cli}, {@code embedded}) sees the features. No Vert.x internals anywhere.
 */
class PackageGraphTest {
  static final String[] FEATURES = {"captcha", "carrier", "enterprise", "http", "query", "ratelimit", "sim", "sms",
      "smscode"};
  /**
   * The one feature-to-feature edge left, came in with the queries' IPv6 site tier: PerIpStep
   * counts a submission's site through ratelimit's SiteLimit. To go: SiteLimit and
   * SlidingWindowLimiter.site into a shared package (both features use them). No other may appear.
   */
  static final String KNOWN_EDGE = "org.yzt.ratelimit.SiteLimit";
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
    for (String layer : new String[] {"common", "config", "runtime", "contract"}) {
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
          .should().dependOnClassesThat(resideInAnyPackage(packages(others)).and(not(name(KNOWN_EDGE))))
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
