package dev.adi4j.core.config;

import java.nio.file.Path;

/** A model configuration that is missing, unreadable or holds a value adi4j cannot use. */
public class ConfigException extends RuntimeException {
    public ConfigException(Path file, String field, String problem) {
        this(file, field, problem, null);
    }

    public ConfigException(Path file, String field, String problem, Throwable cause) {
        super(file + (field == null ? "" : ": field '" + field + "'") + ": " + problem, cause);
    }
}
