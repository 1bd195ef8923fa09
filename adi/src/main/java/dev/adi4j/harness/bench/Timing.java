package dev.adi4j.harness.bench;

import java.util.Arrays;

/** Runs a workload with warm-up and reports the median (and min/max) wall time. */
public final class Timing {
    private Timing() {
    }

    /**
     * @param warmup the warm-up runs made before the timed ones (with {@link Warmup#AUTO}, how many it took)
     */
    public record Result(String workload, double medianMs, double minMs, double maxMs, int runs, long peakRss,
                         long offHeap, int warmup) {
        public Result(String workload, double medianMs, double minMs, double maxMs, int runs, long peakRss, long offHeap) {
            this(workload, medianMs, minMs, maxMs, runs, peakRss, offHeap, -1);
        }

        public String row() {
            return String.format("%-34s %10.1f %10.1f %10.1f %5d %12s %12s", workload, medianMs, minMs, maxMs, runs,
                    MemoryProbe.gib(peakRss), MemoryProbe.gib(offHeap));
        }

        public static String header() {
            return String.format("%-34s %10s %10s %10s %5s %12s %12s", "workload", "median ms", "min ms", "max ms",
                    "runs", "peak RSS", "off-heap");
        }
    }

    /**
     * How many untimed runs precede the timed ones: at least {@code min}, then more while fewer than {@code max}
     * were made and less than {@code budgetSeconds} of warm-up time has passed.
     */
    public record Warmup(int min, int max, double budgetSeconds) {
        /**
         * Warm-up until 10 s have passed (at least 2 runs, at most 1000). A small graph's times settle only once the
         * JIT has compiled the paths it runs, which takes seconds of running, not a run count: the tiny text encoder's
         * forward measured 18-25 ms after 30 or 200 warm-ups and 7.4-10 ms after 150 more runs (2026-12-02, 450 runs;
         * the JIT's compiler threads share the two cores with the op threads until they are done). Expensive
         * workloads still get 2 (SD 2.1 at 64x64).
         */
        public static final Warmup AUTO = new Warmup(2, 1000, 10);

        public Warmup {
            if (min < 0 || max < min) throw new IllegalArgumentException("warm-up needs 0 <= min <= max, got " + min + ", " + max);
        }

        public static Warmup fixed(int runs) {
            return new Warmup(runs, runs, Double.POSITIVE_INFINITY);
        }

        boolean another(int done, double elapsedSeconds) {
            return done < min || (done < max && elapsedSeconds < budgetSeconds);
        }

        /** "30" for a fixed count, else the rule. */
        public String describe() {
            return min == max ? Integer.toString(min)
                    : String.format(java.util.Locale.ROOT, "auto (%d to %d runs, more while under %.0f s)", min, max, budgetSeconds);
        }
    }

    public static Result measure(String workload, int warmup, int runs, Runnable body) {
        return measure(workload, Warmup.fixed(warmup), runs, body);
    }

    public static Result measure(String workload, Warmup warmup, int runs, Runnable body) {
        MemoryProbe.resetPeak();
        int warm = 0;
        long w0 = System.nanoTime();
        while (warmup.another(warm, (System.nanoTime() - w0) / 1e9)) {
            body.run();
            warm++;
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
        return new Result(workload, median, ms[0], ms[runs - 1], runs, MemoryProbe.peakRss(), MemoryProbe.offHeapBytes(), warm);
    }
}
