package dev.adi4j.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measurements printed by {@code shared/bench/torch_blocks.py}: lines {@code NAME median X ms runs [...]},
 * each group followed by {@code peak RSS N MiB} (the process peak, which then applies to the whole group), and a
 * header {@code torch VERSION, threads N}.
 */
record TorchBlocksOutput(String version, Map<String, Measurement> measurements) {
    /** One workload's median and the process peak RSS reported after its group (-1 if none followed). */
    record Measurement(double medianMs, long peakRssMiB) {
    }

    private static final Pattern MEDIAN = Pattern.compile("^(\\S.*?)\\s+median\\s+([0-9]+(?:\\.[0-9]+)?)\\s+ms\\b.*");
    private static final Pattern PEAK = Pattern.compile("^peak RSS\\s+([0-9]+)\\s+MiB\\s*$");
    private static final Pattern HEADER = Pattern.compile("^torch\\s+(\\S+?),\\s+threads\\s+[0-9]+\\s*$");

    static TorchBlocksOutput parse(List<String> lines) {
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
                medians.put(m.group(1), Double.parseDouble(m.group(2)));
                group.add(m.group(1));
            } else if ((m = PEAK.matcher(line)).matches()) {
                long peak = Long.parseLong(m.group(1));
                for (String name : group) all.put(name, new Measurement(medians.get(name), peak));
                group.clear();
            }
        }
        for (String name : group) all.put(name, new Measurement(medians.get(name), -1));
        return new TorchBlocksOutput(version, Collections.unmodifiableMap(all));
    }
}
