package org.yzt.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The embedded dev Redis's folders and files, private to the user who starts it (SPEC §11): every
 * folder is created 0700 and, when it exists, must be a real folder (not a symbolic link) owned by
 * this user, and is then closed to everyone else; files are created 0600 without following a link
 * at their name. On a file system without POSIX permissions the checks that cannot be made are
 * skipped (Windows: the user's profile folder is private already).
 */
final class PrivateFolder {
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFolder() {}

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** {@code dir} (and its missing parents) as a folder only this user can enter; refuses a link or another owner's. */
  static Path ensure(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(parent);
    }
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (posix()) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } else {
        Files.createDirectory(dir);
      }
    }
    if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException(dir + " is a symbolic link or not a folder; the embedded Redis needs a private folder");
    }
    if (posix()) {
      PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      UserPrincipal me = currentUser();
      if (!attrs.owner().equals(me)) {
        throw new IllegalStateException(dir + " belongs to " + attrs.owner().getName() + ", not to " + me.getName()
            + "; the embedded Redis needs a folder of its own (set redis.embeddedDir)");
      }
      if (!attrs.permissions().equals(OWNER_ONLY_DIR)) {
        Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(OWNER_ONLY_DIR);
      }
    }
    return dir;
  }

  /** The user this process runs as, as the file system names owners. */
  static UserPrincipal currentUser() throws IOException {
    return FileSystems.getDefault().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
  }

  /** Writes {@code file} afresh, 0600, never through a link at its name (a link there is removed, not followed). */
  static void write(Path file, byte[] content) throws IOException {
    Files.deleteIfExists(file); // removes a link itself, never its target
    EnumSet<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (var channel = posix()
        ? Files.newByteChannel(file, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
        : Files.newByteChannel(file, options);
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(content);
    }
  }

  /** Makes sure {@code file} exists as a regular file of ours, 0600 (for a log Redis appends to): a link there is removed. */
  static void touch(Path file) throws IOException {
    if (Files.isSymbolicLink(file) || (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))) {
      Files.delete(file);
    }
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      write(file, new byte[0]);
    } else if (posix()) {
      Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(OWNER_ONLY_FILE);
    }
  }

  /** Lowercase hex SHA-256 of a stream. */
  static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return sha256(in);
    }
  }
}
