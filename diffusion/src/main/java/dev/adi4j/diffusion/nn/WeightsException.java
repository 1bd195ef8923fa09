package dev.adi4j.diffusion.nn;

import java.util.List;

/** Weights that do not fit the network: the message lists every offending key. */
public class WeightsException extends RuntimeException {
    private final List<String> problems;

    public WeightsException(String source, List<String> problems) {
        super(source + ": " + problems.size() + " weight problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() { return problems; }
}
