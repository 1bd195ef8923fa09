package dev.adi4j.core.image;

import dev.adi4j.core.io.AtomicWrite;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whole-file writes that never leave a half-written target: temp file in the same folder, then rename. */
final class AtomicFiles {
    private AtomicFiles() {
    }

    static void write(Path target, byte[] bytes, boolean overwrite) {
        try {
            AtomicWrite.write(target, overwrite, tmp -> Files.write(tmp, bytes));
        } catch (FileAlreadyExistsException e) {
            throw new ImageException(target, "file exists; pass overwrite=true to replace it", e);
        } catch (IOException e) {
            throw new ImageException(target, "cannot write: " + e, e);
        }
    }
}
