package dev.adi4j.core.safetensors;

import java.nio.file.Path;

/**
 * The one exception for a safetensors file that cannot be trusted, read or written as asked: its message
 * always names the file, the key (when one is involved) and what was wrong.
 */
public class SafetensorsFormatException extends RuntimeException {
    private final Path file;
    private final String key;

    public SafetensorsFormatException(Path file, String key, String problem) {
        this(file, key, problem, null);
    }

    public SafetensorsFormatException(Path file, String key, String problem, Throwable cause) {
        super(file + (key == null ? "" : ": key '" + key + "'") + ": " + problem, cause);
        this.file = file;
        this.key = key;
    }

    /** The file that failed. */
    public Path file() { return file; }

    /** The tensor key (or {@code __metadata__}) involved, or null when the problem is with the whole file. */
    public String key() { return key; }
}
