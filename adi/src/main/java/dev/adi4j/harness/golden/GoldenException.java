package dev.adi4j.harness.golden;

import java.nio.file.Path;

/** A golden case that cannot be run: missing file or tensor, unreadable configs, unknown scheduler entry. */
public class GoldenException extends RuntimeException {
    public GoldenException(Path file, String problem) {
        this(file, problem, null);
    }

    public GoldenException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
