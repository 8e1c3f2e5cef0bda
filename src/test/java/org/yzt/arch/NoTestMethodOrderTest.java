package org.yzt.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 28: no test class fixes the order of its tests. A fixed order let tests lean on what an earlier
 * one left behind (a counter already at 1, a circuit already open, a log already full) and fail when
 * run alone or in another order. Every test makes its own state; where steps must follow each other,
 * they are one test. A scan of the sources: a few milliseconds, and the same answer on every run (a
 * random method order by default would find leaning tests too, but only now and then, in the full run).
 */
class NoTestMethodOrderTest {
  static final Path TESTS = Path.of("src/test/java");
  /** The annotations, by simple or full name; not a mention in a comment or a string. */
  static final Pattern ORDERED = Pattern.compile("^\\s*@(org\\.junit\\.jupiter\\.api\\.)?(TestMethodOrder|Order)\\s*\\(",
      Pattern.MULTILINE);

  @Test
  void noTestClassFixesTheOrderOfItsTests() {
    List<Path> ordered = javaFiles().filter(NoTestMethodOrderTest::ordersItsTests).map(TESTS::relativize).toList();
    assertEquals(List.of(), ordered, "@TestMethodOrder or @Order: make each test stand on its own (issue 28)");
  }

  @Test
  void theScanSeesTheAnnotationsAndReadsEveryTestSource() {
    assertTrue(ORDERED.matcher("  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)\nclass A {").find());
    assertTrue(ORDERED.matcher("  @org.junit.jupiter.api.Order(3)\n  void t() {").find());
    assertTrue(!ORDERED.matcher("  // no @Order(1) here\n  String s = \"@TestMethodOrder(x)\";").find());
    assertTrue(javaFiles().count() > 100, "the scan reads the test sources");
  }

  private static Stream<Path> javaFiles() {
    try {
      return Files.walk(TESTS).filter(p -> p.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean ordersItsTests(Path file) {
    try {
      return ORDERED.matcher(Files.readString(file)).find();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
