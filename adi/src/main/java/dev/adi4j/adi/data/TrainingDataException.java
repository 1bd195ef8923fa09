package dev.adi4j.adi.data;

import java.nio.file.Path;

/**
 * A problem with the training images or captions of an action folder. The message is one line that names the
 * folder or file (and line, for captions) and says what was expected.
 */
public class TrainingDataException extends RuntimeException {
    public TrainingDataException(Path where, String problem) {
        this(where, problem, null);
    }

    public TrainingDataException(Path where, String problem, Throwable cause) {
        super(oneLine((where == null ? "" : where + ": ") + problem), cause);
    }

    /** Messages end up on one CLI line; newlines inside quoted file content or decoder messages would break it. */
    static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    /** Quotes a piece of user content for a message: control characters shown, long text cut. */
    static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        StringBuilder b = new StringBuilder("'");
        for (char c : shown.toCharArray()) {
            if (c == '\t') b.append("\\t");
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('\'').toString();
    }
}
