package dev.adi4j.mini.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run's {@code train.log} says over all its sessions: the training time (each progress line covers its
 * window of steps at its measured rate; loading, checkpoint writes and steps redone after an interruption are
 * counted as they happened) and the loss at the end (mean of the last windows, a single batch being noisy).
 */
record TrainLogSummary(double trainSeconds, long windows, double finalLoss, int finalLossSteps) {
    private static final Pattern LINE = Pattern.compile(
            "step (\\d+)/\\d+ loss \\S+ \\(mean of last (\\d+) (\\S+)\\) (\\S+) steps/s");
    /** Windows averaged for the final loss (100 steps at the standard cadence). */
    static final int LAST_WINDOWS = 10;

    static TrainLogSummary of(Path log) throws IOException {
        if (!Files.isRegularFile(log)) return new TrainLogSummary(0, 0, Double.NaN, 0);
        double seconds = 0;
        long windows = 0;
        List<double[]> losses = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) continue;
            int n = Integer.parseInt(m.group(2));
            double rate = Double.parseDouble(m.group(4));
            if (rate > 0) seconds += n / rate;
            windows++;
            losses.add(new double[]{n, Double.parseDouble(m.group(3))});
        }
        double sum = 0;
        int steps = 0;
        for (int i = Math.max(0, losses.size() - LAST_WINDOWS); i < losses.size(); i++) {
            sum += losses.get(i)[0] * losses.get(i)[1];
            steps += (int) losses.get(i)[0];
        }
        return new TrainLogSummary(seconds, windows, steps == 0 ? Double.NaN : sum / steps, steps);
    }
}
