package dev.adi4j.harness.bench;

import java.util.Arrays;

/** Runs a workload with warm-up and reports the median (and min/max) wall time. */
public final class Timing {
    private Timing() {
    }

    public record Result(String workload, double medianMs, double minMs, double maxMs, int runs, long peakRss,
                         long offHeap) {
        public String row() {
            return String.format("%-34s %10.1f %10.1f %10.1f %5d %12s %12s", workload, medianMs, minMs, maxMs, runs,
                    MemoryProbe.gib(peakRss), MemoryProbe.gib(offHeap));
        }

        public static String header() {
            return String.format("%-34s %10s %10s %10s %5s %12s %12s", "workload", "median ms", "min ms", "max ms",
                    "runs", "peak RSS", "off-heap");
        }
    }

    public static Result measure(String workload, int warmup, int runs, Runnable body) {
        MemoryProbe.resetPeak();
        for (int i = 0; i < warmup; i++) body.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
        return new Result(workload, median, ms[0], ms[runs - 1], runs, MemoryProbe.peakRss(), MemoryProbe.offHeapBytes());
    }
}
