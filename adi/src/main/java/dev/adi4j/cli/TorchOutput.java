package dev.adi4j.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measurements printed by the PyTorch benchmark scripts, in either of their two line formats:
 * <ul>
 *   <li>{@code shared/bench/torch_blocks.py}: lines {@code NAME median X ms runs [...]}, each group followed by
 *       {@code peak RSS N MiB} (the process peak, which then applies to the whole group);</li>
 *   <li>{@code shared/bench/torchref/unet_bench.py} and this project's {@code bench/torch/*.py}: one line per
 *       measurement with its own peak, {@code NAME median X ms  min Y  peak RSS Z GiB} (or MiB).</li>
 * </ul>
 * A header {@code torch VERSION, threads N} gives the version; every other line is ignored.
 */
record TorchOutput(String version, Map<String, Measurement> measurements) {
    /** One workload's median and the process peak RSS reported with it or after its group (-1 if none). */
    record Measurement(double medianMs, double peakRssMiB) {
    }

    private static final Pattern MEDIAN = Pattern.compile("^(\\S.*?)\\s+median\\s+([0-9]+(?:\\.[0-9]+)?)\\s+ms\\b(.*)$");
    private static final Pattern INLINE_PEAK = Pattern.compile("\\bpeak RSS\\s+([0-9]+(?:\\.[0-9]+)?)\\s+(MiB|GiB)\\s*$");
    private static final Pattern PEAK = Pattern.compile("^peak RSS\\s+([0-9]+(?:\\.[0-9]+)?)\\s+(MiB|GiB)\\s*$");
    private static final Pattern HEADER = Pattern.compile("^torch\\s+(\\S+?),\\s+threads\\s+[0-9]+\\s*$");

    static TorchOutput parse(List<String> lines) {
        String version = null;
        Map<String, Measurement> all = new LinkedHashMap<>();
        List<String> group = new ArrayList<>();
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            Matcher m;
            if ((m = HEADER.matcher(line)).matches()) {
                version = m.group(1);
            } else if ((m = MEDIAN.matcher(line)).matches()) {
                String name = m.group(1);
                double median = Double.parseDouble(m.group(2));
                Matcher inline = INLINE_PEAK.matcher(m.group(3));
                if (inline.find()) {
                    all.put(name, new Measurement(median, mib(inline.group(1), inline.group(2))));
                } else {
                    medians.put(name, median);
                    group.add(name);
                }
            } else if ((m = PEAK.matcher(line)).matches()) {
                double peak = mib(m.group(1), m.group(2));
                for (String name : group) all.put(name, new Measurement(medians.get(name), peak));
                group.clear();
            }
        }
        for (String name : group) all.put(name, new Measurement(medians.get(name), -1));
        return new TorchOutput(version, Collections.unmodifiableMap(all));
    }

    private static double mib(String value, String unit) {
        double v = Double.parseDouble(value);
        return unit.equals("GiB") ? v * 1024 : v;
    }
}
