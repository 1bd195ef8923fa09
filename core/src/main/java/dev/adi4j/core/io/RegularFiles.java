package dev.adi4j.core.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * The one check before adi4j opens a file to read it: opening a FIFO blocks until a writer appears and a device
 * can read forever, so only regular files (symbolic links followed) are opened. Each reader keeps its own
 * exception type by passing its constructor.
 */
public final class RegularFiles {
    private RegularFiles() {
    }

    /**
     * Why {@code file} cannot be read as a {@code what} (e.g. "config", "image"): "file not found", a folder, or
     * not a regular file; null when it is a regular file.
     */
    public static String problem(Path file, String what) {
        if (Files.isRegularFile(file)) return null;
        if (!Files.exists(file)) return "file not found";
        if (Files.isDirectory(file)) return "is a folder, not a regular file (expected a " + what + " file)";
        return "not a regular file (a FIFO, socket or device); a " + what + " is read only from a regular file,"
                + " reading this one could block forever";
    }

    /**
     * Returns {@code file} when it is a regular file, else throws {@code error.apply(file, problem)} with the
     * problem of {@link #problem(Path, String)}.
     */
    public static <E extends RuntimeException> Path require(Path file, String what,
                                                            BiFunction<Path, String, E> error) {
        String p = problem(file, what);
        if (p != null) throw error.apply(file, p);
        return file;
    }
}
