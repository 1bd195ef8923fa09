package dev.adi4j.core.io;

import java.nio.file.Path;

/**
 * A model folder, component folder or model file that cannot be loaded. The message is
 * {@code "<path>: <problem>"} so that a user sees which file to fix; subclasses say what kind of problem
 * (config, folder layout, weights). Callers that only need "this model is unusable" catch this one type.
 */
public class ModelLoadException extends RuntimeException {
    private final transient Path path;
    private final String problem;

    public ModelLoadException(Path path, String problem) {
        this(path, problem, null);
    }

    public ModelLoadException(Path path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
        this.path = path;
        this.problem = problem;
    }

    /** The folder or file at fault. */
    public Path path() { return path; }

    /** What is wrong with it (the message without the path). */
    public String problem() { return problem; }
}
