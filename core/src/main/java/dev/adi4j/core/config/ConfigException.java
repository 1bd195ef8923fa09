package dev.adi4j.core.config;

import dev.adi4j.core.io.ModelLoadException;

import java.nio.file.Path;

/**
 * A model configuration that is missing, unreadable or holds a value adi4j cannot use. A
 * {@link ModelLoadException} naming the file and, when one is at fault, the field.
 */
public class ConfigException extends ModelLoadException {
    public ConfigException(Path file, String field, String problem) {
        this(file, field, problem, null);
    }

    public ConfigException(Path file, String field, String problem, Throwable cause) {
        super(file, (field == null ? "" : "field '" + field + "': ") + problem, cause);
    }
}
