package dev.adi4j.cli;

import dev.adi4j.adi.train.TrainListener;

import java.io.PrintStream;
import java.util.Locale;

/** {@code adi train}'s terminal output: phase messages, and a progress line with loss, it/s and ETA. */
final class TrainProgress implements TrainListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private long start = -1;
    private boolean inBar;

    TrainProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void message(String line) {
        if (inBar) out.println();
        inBar = false;
        out.println(line);
        out.flush();
    }

    @Override
    public void started(int firstStep, int total) {
        start = System.nanoTime();
    }

    @Override
    public void step(int step, int total, int firstStep, double loss, double lr) {
        if (start < 0) start = System.nanoTime();
        double seconds = (System.nanoTime() - start) / 1e9;
        int done = step - firstStep;
        double rate = done / Math.max(seconds, 1e-9);
        double eta = (total - step) / Math.max(rate, 1e-9);
        int filled = step * WIDTH / total;
        out.printf(Locale.ROOT, "\rstep %d/%d [%s%s] loss %.4f lr %.2e  %.2f it/s  ETA %s", step, total,
                "#".repeat(filled), ".".repeat(WIDTH - filled), loss, lr, rate, duration(eta));
        inBar = true;
        if (step == total) {
            out.println();
            inBar = false;
        }
        out.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
