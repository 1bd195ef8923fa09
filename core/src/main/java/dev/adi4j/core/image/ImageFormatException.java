package dev.adi4j.core.image;

import java.nio.file.Path;

/** An image file that is missing, empty, truncated, corrupt or in a format adi4j cannot decode. */
public class ImageFormatException extends ImageException {
    public ImageFormatException(Path file, String problem) {
        super(file, problem);
    }

    public ImageFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}
