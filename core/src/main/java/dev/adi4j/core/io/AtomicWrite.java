package dev.adi4j.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Whole-file writes that never leave a half-written target: the content goes to a temp file in the target's
 * folder, which is then renamed over the target. On failure the temp file is removed and an existing target is
 * left as it was.
 */
public final class AtomicWrite {
    /** Writes the content of the temp file. */
    @FunctionalInterface
    public interface Body {
        void writeTo(Path tempFile) throws IOException;
    }

    private AtomicWrite() {
    }

    /**
     * @param overwrite false: fail with {@link FileAlreadyExistsException} if the target exists (also when another
     *                  writer creates it meanwhile)
     */
    public static void write(Path target, boolean overwrite, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        if (!overwrite && Files.exists(abs)) throw new FileAlreadyExistsException(abs.toString());
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            // createTempFile makes owner-only files; results are ordinary user files
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // keep the file system's default
            }
            body.writeTo(tmp);
            if (overwrite) {
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                Files.move(tmp, abs);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }
}
