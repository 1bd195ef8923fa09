package dev.adi4j.core.model;

import dev.adi4j.core.config.ConfigException;

import java.nio.file.Path;

/**
 * A model folder that lacks a component, a weights file or holds weights adi4j cannot read. A
 * {@link ConfigException}, so callers catch one type for "this model folder is unusable".
 */
public class ModelFolderException extends ConfigException {
    public ModelFolderException(Path path, String problem) {
        super(path, null, problem);
    }
}
