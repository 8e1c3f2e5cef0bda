package org.yzt.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The text a script is made of, exactly (plain, no Redis; {@code RedisScriptTest} runs real scripts): what a
 * library keeps or leaves out is what Redis compiles on every call, and a line lost or doubled is a script
 * that does something else.
 */
class LibFunctionsTest {
  @Test
  void aLibraryKeepsItsLooseLinesAndTheCommentsOfWhatItKeepsOnceEachInOrder() {
    String lib = String.join("\n",
        "-- the library's header",
        "local X = 1",
        "",
        "-- a's comment",
        "local function a()",
        "  return X",
        "end",
        "local Z = 3",
        "-- b's comment",
        "local function b()",
        "  return 2",
        "end",
        "-- above a loose line",
        "local Y = 2",
        "");
    String body = "return a() + Z";
    String expected = "-- the library's header\nlocal X = 1\n\n"
        + "-- a's comment\nlocal function a()\n  return X\nend\n"
        + "local Z = 3\n"
        + "-- above a loose line\nlocal Y = 2\n"
        + "\n"
        + "return a() + Z\n";
    assertEquals(expected, LibFunctions.join(List.of(lib, body), List.of(true, false)));
  }

  @Test
  void commentsAtALibrarysEndStayAndAFunctionCalledOnlyFromAnotherLibraryIsKept() {
    String first = "local function outer()\n  return inner()\nend\n";
    // the body names unused only in a comment: left out, with its comment; inner kept through outer alone
    String second = "local function inner()\n  return 1\nend\n"
        + "-- unused would call inner\nlocal function unused()\n  return inner_not()\nend\n-- the end";
    String out = LibFunctions.join(List.of(first, second, "-- not unused\nreturn outer()"), List.of(true, true, false));
    assertEquals(first + "\n" + "local function inner()\n  return 1\nend\n-- the end\n" + "\n"
        + "-- not unused\nreturn outer()\n", out);
  }

  @Test
  void aLibraryFunctionRunningToTheEndOfItsFileIsRefusedByName() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> LibFunctions.join(
        List.of("local X = 1\nlocal function lonely()\n  return X\n", "return lonely()"), List.of(true, false)));
    assertTrue(e.getMessage().contains("lonely"), e.getMessage());
  }
}
