package dev.adi4j.cli;

import dev.adi4j.harness.bench.Timing;

import java.util.List;
import java.util.Locale;

/** The side-by-side table of {@code adi bench}: adi4j against PyTorch per workload, as markdown. */
final class BenchTable {
    /** One row: adi4j's result and PyTorch's measurement of the same workload (null when not measured). */
    record Row(Timing.Result adi4j, TorchBlocksOutput.Measurement torch) {
    }

    private BenchTable() {
    }

    static String markdown(List<Row> rows, List<String> footer) {
        StringBuilder sb = new StringBuilder();
        sb.append("| workload | adi4j median | PyTorch median | ratio | adi4j peak RSS | PyTorch peak RSS | memory ratio |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            Timing.Result a = r.adi4j();
            TorchBlocksOutput.Measurement t = r.torch();
            double adiMiB = a.peakRss() < 0 ? -1 : a.peakRss() / (1024.0 * 1024);
            sb.append("| ").append(a.workload())
                    .append(" | ").append(ms(a.medianMs()))
                    .append(" | ").append(t == null ? "-" : ms(t.medianMs()))
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

    static String ms(double ms) {
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    static String mib(double mib) {
        if (mib < 0) return "n/a";
        return mib >= 1024 ? String.format(Locale.ROOT, "%.2f GiB", mib / 1024) : String.format(Locale.ROOT, "%.0f MiB", mib);
    }

    static String ratio(double adi4j, double torch) {
        return String.format(Locale.ROOT, "%.1fx", adi4j / torch);
    }
}
