package dev.adi4j.cli;

import dev.adi4j.harness.bench.Timing;

import java.util.List;
import java.util.Locale;

/** The side-by-side table of {@code adi bench} and {@code adi bench-net}: adi4j against PyTorch per workload, as markdown. */
final class BenchTable {
    /**
     * One row: adi4j's result and PyTorch's measurement of the same workload (null when not measured).
     * {@code imagesPerRun} > 0 marks a throughput row (image generation): its times also show as images/s.
     */
    record Row(Timing.Result adi4j, TorchOutput.Measurement torch, int imagesPerRun) {
        Row(Timing.Result adi4j, TorchOutput.Measurement torch) {
            this(adi4j, torch, 0);
        }
    }

    private BenchTable() {
    }

    static String markdown(List<Row> rows, List<String> footer) {
        StringBuilder sb = new StringBuilder();
        sb.append("| workload | adi4j median | PyTorch median | ratio | adi4j peak RSS | PyTorch peak RSS | memory ratio |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            Timing.Result a = r.adi4j();
            TorchOutput.Measurement t = r.torch();
            double adiMiB = a.peakRss() < 0 ? -1 : a.peakRss() / (1024.0 * 1024);
            sb.append("| ").append(a.workload())
                    .append(" | ").append(time(a.medianMs(), r.imagesPerRun()))
                    .append(" | ").append(t == null ? "-" : time(t.medianMs(), r.imagesPerRun()))
                    .append(" | ").append(t == null ? "-" : ratio(a.medianMs(), t.medianMs()))
                    .append(" | ").append(mib(adiMiB))
                    .append(" | ").append(t == null ? "-" : mib(t.peakRssMiB()))
                    .append(" | ").append(t == null || t.peakRssMiB() <= 0 || adiMiB < 0 ? "-" : ratio(adiMiB, t.peakRssMiB()))
                    .append(" |\n");
        }
        if (!footer.isEmpty()) sb.append('\n');
        for (String f : footer) sb.append("- ").append(f).append('\n');
        return sb.toString();
    }

    /** The median, and for a throughput row also images per second. */
    static String time(double ms, int imagesPerRun) {
        if (imagesPerRun <= 0) return ms(ms);
        double perSecond = imagesPerRun * 1000.0 / ms;
        return ms(ms) + String.format(Locale.ROOT, perSecond >= 10 ? " (%.1f img/s)" : perSecond >= 0.1 ? " (%.2f img/s)"
                : " (%.3f img/s)", perSecond);
    }

    static String ms(double ms) {
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    static String mib(double mib) {
        if (mib < 0) return "n/a";
        return mib >= 1024 ? String.format(Locale.ROOT, "%.2f GiB", mib / 1024) : String.format(Locale.ROOT, "%.0f MiB", mib);
    }

    /** adi4j / PyTorch: above 1 adi4j takes longer (or more memory). */
    static String ratio(double adi4j, double torch) {
        double r = adi4j / torch;
        return String.format(Locale.ROOT, r < 1 ? "%.2fx" : "%.1fx", r);
    }
}
