package dev.adi4j.adi.train;

/** What a run reports while it works; the command line turns it into a progress bar and log lines. */
public interface TrainListener {
    TrainListener SILENT = new TrainListener() {
    };

    /** A one-line account of a phase (loading, caching latents, action-different samples, validation, checkpoints). */
    default void message(String line) {
    }

    /** Training proper starts at 0-based step {@code firstStep} of {@code total} (after loading and caching). */
    default void started(int firstStep, int total) {
    }

    /** Step {@code step} (1-based) of {@code total} is done; {@code firstStep} is where this process started. */
    default void step(int step, int total, int firstStep, double loss, double lr) {
    }
}
