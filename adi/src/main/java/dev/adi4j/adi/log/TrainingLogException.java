package dev.adi4j.adi.log;

import java.nio.file.Path;

/** A training log that cannot be read or written; the one-line message names the file (and line). */
public class TrainingLogException extends RuntimeException {
    public TrainingLogException(Path file, String problem) {
        this(file, problem, null);
    }

    public TrainingLogException(Path file, String problem, Throwable cause) {
        super((file + ": " + problem).replaceAll("[\\r\\n]+", " "), cause);
    }
}
