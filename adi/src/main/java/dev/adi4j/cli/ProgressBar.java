package dev.adi4j.cli;

import dev.adi4j.diffusion.pipeline.StepListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;

/** A one-line terminal progress bar for sampling loops: image, step, bar, steps per second. */
final class ProgressBar implements StepListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final int images;
    private int image;
    /** When the current image's first step started (the end of the previous image). */
    private long start;

    ProgressBar(PrintStream out, int images) {
        this.out = out;
        this.images = images;
        this.start = System.nanoTime();
    }

    @Override
    public void onStep(int step, int total, float timestep, INDArray unetOutput, INDArray latents) {
        if (step == 0) image++;
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = (step + 1) / Math.max(seconds, 1e-9);
        int filled = (step + 1) * WIDTH / total;
        out.printf("\rimage %d/%d [%s%s] step %d/%d  %.2f steps/s", image, images, "#".repeat(filled),
                ".".repeat(WIDTH - filled), step + 1, total, rate);
        if (step + 1 == total) {
            out.println();
            start = System.nanoTime();
        }
        out.flush();
    }
}
