package dev.adi4j.convert;

import java.nio.file.Path;
import java.util.List;

/**
 * The one error of the converter. The message names the file, the key (when one is involved) and the
 * problem; when several keys are wrong, {@link #problems()} lists every one of them (the message too).
 */
public class ConversionException extends RuntimeException {
    private final Path file;
    private final String key;
    private final List<String> problems;

    public ConversionException(Path file, String key, String problem) {
        this(file, key, problem, null);
    }

    public ConversionException(Path file, String key, String problem, Throwable cause) {
        super(file + (key == null ? "" : ": key '" + key + "'") + ": " + problem, cause);
        this.file = file;
        this.key = key;
        this.problems = List.of((key == null ? "" : "'" + key + "': ") + problem);
    }

    /** Several problems with one file, each already naming its key. */
    public ConversionException(Path file, List<String> problems) {
        super(file + ": " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        this.file = file;
        this.key = null;
        this.problems = List.copyOf(problems);
    }

    /** The file (or folder) that failed. */
    public Path file() { return file; }

    /** The key involved, or null for a file-level problem or a list of problems. */
    public String key() { return key; }

    /** Every problem found, each naming its key. */
    public List<String> problems() { return problems; }
}
