package dev.adi4j.core.image;

import java.nio.file.Path;

/** Any failure reading or writing an image; the message names the file and the problem. */
public class ImageException extends RuntimeException {
    private final Path file;

    public ImageException(Path file, String problem) {
        this(file, problem, null);
    }

    public ImageException(Path file, String problem, Throwable cause) {
        super((file == null ? "" : file + ": ") + problem, cause);
        this.file = file;
    }

    /** The file concerned, or null when the problem is not tied to one. */
    public Path file() { return file; }
}
