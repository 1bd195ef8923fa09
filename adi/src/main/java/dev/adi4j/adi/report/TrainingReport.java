package dev.adi4j.adi.report;

import dev.adi4j.adi.log.TrainingLog;
import dev.adi4j.core.io.AtomicWrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code report.html} into a run folder: run metadata, a loss curve per sample, a per-layer chart of the
 * channels each mask kept, and the validation images grouped by step (newest first). Charts are JFreeChart PNGs
 * in {@code report/} beside the page; images are linked by relative paths, so the folder can be moved or copied
 * as a whole. Every file is written atomically, so the page can be regenerated while someone is viewing it.
 */
public final class TrainingReport {
    public static final String HTML = "report.html";
    public static final String LOSS_PNG = "report/loss.png";
    public static final String KEPT_PNG = "report/kept-channels.png";

    /**
     * A validation image produced at a training step.
     *
     * @param label shown under the image (e.g. the prompt); may be null
     */
    public record ValidationImage(int step, Path file, String label) {
    }

    /**
     * @param keptWindow  the kept-channel chart shows the mean over the last this-many steps that logged masks
     *                    (1 = the last such step only)
     * @param layerNames  labels of the layers in the kept chart's order; missing ones are shown as L0, L1, ...
     */
    public record Options(int keptWindow, List<String> layerNames, int chartWidth, int chartHeight) {
        public Options {
            if (keptWindow < 1) throw new IllegalArgumentException("keptWindow must be at least 1, got " + keptWindow);
            if (chartWidth < 100 || chartHeight < 100) {
                throw new IllegalArgumentException("chart size must be at least 100x100, got " + chartWidth + "x"
                        + chartHeight);
            }
            layerNames = List.copyOf(layerNames);
        }

        /** Mean over the last 50 steps, layers L0.., 900x420 charts. */
        public static Options defaults() {
            return new Options(50, List.of(), 900, 420);
        }
    }

    private TrainingReport() {
    }

    /** Reads the log and writes the report with {@link Options#defaults()}; returns the html file. */
    public static Path write(Path runDir, Path logFile, List<ValidationImage> images, Map<String, String> metadata) {
        return write(runDir, TrainingLog.read(logFile), images, metadata, Options.defaults());
    }

    /** Writes the report from already-read steps; returns the html file. */
    public static Path write(Path runDir, List<TrainingLog.Step> steps, List<ValidationImage> images,
                             Map<String, String> metadata, Options opts) {
        boolean charts = !steps.isEmpty();
        ReportCharts.KeptWindow window = ReportCharts.keptWindow(steps, opts.keptWindow());
        if (charts) {
            ReportCharts.writePng(ReportCharts.loss(steps), runDir.resolve(LOSS_PNG), opts.chartWidth(),
                    opts.chartHeight());
            ReportCharts.writePng(ReportCharts.kept(ReportCharts.meanKept(steps, opts.keptWindow()), window,
                    opts.layerNames()), runDir.resolve(KEPT_PNG), opts.chartWidth(), opts.chartHeight());
        }
        String html = html(runDir, steps, images, metadata, charts, window);
        Path out = runDir.resolve(HTML);
        try {
            AtomicWrite.write(out, true, tmp -> Files.writeString(tmp, html, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write report: " + e.getMessage(), e);
        }
        return out;
    }

    static String html(Path runDir, List<TrainingLog.Step> steps, List<ValidationImage> images,
                       Map<String, String> metadata, boolean charts, ReportCharts.KeptWindow window) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(esc(title(metadata))).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em;max-width:1200px}\n")
                .append("table.meta td{padding:2px 10px 2px 0;vertical-align:top}\n")
                .append("table.meta td:first-child{font-weight:bold;white-space:nowrap}\n")
                .append(".grid{display:flex;flex-wrap:wrap;gap:8px}\n")
                .append("figure{margin:0;max-width:260px}figure img{max-width:256px;display:block}\n")
                .append("figcaption{font-size:small;word-wrap:break-word}.missing{color:#a00}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(title(metadata))).append("</h1>\n<table class=\"meta\">\n");
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(e.getValue()))
                    .append("</td></tr>\n");
        }
        h.append("<tr><td>steps logged</td><td>").append(steps.size()).append("</td></tr>\n");
        if (!steps.isEmpty()) {
            TrainingLog.Step last = steps.get(steps.size() - 1);
            h.append("<tr><td>last step</td><td>").append(last.step()).append(" (lr ").append(last.lr())
                    .append(", loss ").append(esc(last.loss().toString())).append(")</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Loss</h2>\n");
        if (charts) {
            h.append(img(LOSS_PNG, "loss per sample against step"));
            h.append("<h2>Channels kept per layer</h2>\n<p>").append(esc(window.describe())).append("</p>\n");
            h.append(img(KEPT_PNG, "fraction of channels kept per layer for each mask"));
        } else {
            h.append("<p>No training steps logged yet.</p>\n");
        }

        h.append("<h2>Validation images</h2>\n");
        if (images.isEmpty()) h.append("<p>None yet.</p>\n");
        TreeMap<Integer, List<ValidationImage>> byStep = new TreeMap<>(Collections.reverseOrder());
        for (ValidationImage v : images) byStep.computeIfAbsent(v.step(), s -> new ArrayList<>()).add(v);
        for (Map.Entry<Integer, List<ValidationImage>> e : byStep.entrySet()) {
            h.append("<h3>Step ").append(e.getKey()).append("</h3>\n<div class=\"grid\">\n");
            for (ValidationImage v : e.getValue()) {
                String href = relativeHref(runDir, v.file());
                String label = v.label() == null ? v.file().getFileName().toString() : v.label();
                h.append("<figure><a href=\"").append(esc(href)).append("\"><img src=\"").append(esc(href))
                        .append("\" alt=\"").append(esc(label)).append("\"></a><figcaption>").append(esc(label));
                if (!Files.exists(v.file())) h.append(" <span class=\"missing\">(file missing)</span>");
                h.append("</figcaption></figure>\n");
            }
            h.append("</div>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static String title(Map<String, String> metadata) {
        String name = metadata.get("run");
        return name == null ? "ADI training report" : "ADI training report: " + name;
    }

    private static String img(String href, String alt) {
        return "<p><img src=\"" + esc(href) + "\" alt=\"" + esc(alt) + "\"></p>\n";
    }

    /** The file's path relative to the run folder as a URL path: '/' separators, each segment percent-encoded. */
    static String relativeHref(Path runDir, Path file) {
        Path base = runDir.toAbsolutePath().normalize();
        Path rel = base.relativize(file.toAbsolutePath().normalize());
        List<String> parts = new ArrayList<>();
        for (Path p : rel) {
            String s = p.toString();
            parts.add(s.equals("..") ? s : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", parts);
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
