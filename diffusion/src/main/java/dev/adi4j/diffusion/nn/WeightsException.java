package dev.adi4j.diffusion.nn;

import dev.adi4j.core.io.ModelLoadException;

import java.nio.file.Path;
import java.util.List;

/** Weights that do not fit the network: the message names the file (or folder of shards) and lists every offending key. */
public class WeightsException extends ModelLoadException {
    private final List<String> problems;

    public WeightsException(Path source, List<String> problems) {
        super(source, problems.size() + " weight problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** For weights that come from somewhere other than files, e.g. "random". */
    public WeightsException(String source, List<String> problems) {
        this(Path.of(source), problems);
    }

    public List<String> problems() { return problems; }
}
