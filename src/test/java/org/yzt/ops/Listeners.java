package org.yzt.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on, as "address:port", read from Linux's /proc: the socket inodes
 * among the process's open files, looked up in /proc/net/tcp and tcp6 (state 0A, LISTEN).
 */
final class Listeners {
  private Listeners() {}

  static List<String> of(long pid) {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the open files of " + pid, e);
    }
    List<String> listening = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        List<String> lines = Files.readAllLines(Path.of(table));
        for (String line : lines.subList(1, lines.size())) {
          String[] f = line.trim().split("\\s+");
          if (f[3].equals("0A") && inodes.contains(f[9])) {
            listening.add(address(f[1]));
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + table, e);
      }
    }
    return listening;
  }

  /** "0100007F:1F90" (little-endian IPv4) or the 32-hex-digit IPv6 form → "127.0.0.1:8080" / "::…:8080". */
  private static String address(String hex) {
    String[] parts = hex.split(":");
    int port = Integer.parseInt(parts[1], 16);
    String a = parts[0];
    if (a.length() == 8) {
      return Integer.parseInt(a.substring(6, 8), 16) + "." + Integer.parseInt(a.substring(4, 6), 16) + "."
          + Integer.parseInt(a.substring(2, 4), 16) + "." + Integer.parseInt(a.substring(0, 2), 16) + ":" + port;
    }
    if (a.equals("00000000000000000000000000000000")) {
      return "[::]:" + port;
    }
    if (a.startsWith("0000000000000000FFFF0000")) { // IPv4-mapped
      return address(a.substring(24) + ":" + parts[1]);
    }
    return "[" + a + "]:" + port;
  }
}
