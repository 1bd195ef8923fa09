package dev.adi4j.adi.report;

import dev.adi4j.adi.log.TrainingLog;
import dev.adi4j.core.io.AtomicWrite;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's JFreeChart charts, rendered to PNG without a display. */
final class ReportCharts {
    static {
        // Training runs on servers without a display; AWT must not try to open one. Only effective if set
        // before the toolkit starts, hence here, before any chart class touches AWT.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private ReportCharts() {
    }

    /** Loss against step, one series per sample; non-finite losses leave a gap instead of wrecking the axis. */
    static JFreeChart loss(List<TrainingLog.Step> steps) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (TrainingLog.Step s : steps) {
            s.loss().forEach((name, v) -> series.computeIfAbsent(name, n -> new XYSeries(n, true, true))
                    .add(s.step(), Double.isFinite(v) ? v : null));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        return light(ChartFactory.createXYLineChart("Loss per sample", "step", "loss", data,
                PlotOrientation.VERTICAL, true, false, false));
    }

    /** The steps the kept-channel chart averages over: the last {@code window} steps that logged masks. */
    record KeptWindow(int firstStep, int lastStep, int count) {
        String describe() {
            if (count == 0) return "no masks logged";
            if (count == 1) return "step " + lastStep;
            return "mean over the last " + count + " logged steps, " + firstStep + "-" + lastStep;
        }
    }

    static KeptWindow keptWindow(List<TrainingLog.Step> steps, int window) {
        List<TrainingLog.Step> w = lastWithMasks(steps, window);
        return w.isEmpty() ? new KeptWindow(0, 0, 0)
                : new KeptWindow(w.get(0).step(), w.get(w.size() - 1).step(), w.size());
    }

    /** Mean fraction kept per layer for each mask over the window (masks in first-seen order). */
    static Map<String, double[]> meanKept(List<TrainingLog.Step> steps, int window) {
        Map<String, double[]> sum = new LinkedHashMap<>();
        Map<String, int[]> count = new LinkedHashMap<>();
        for (TrainingLog.Step s : lastWithMasks(steps, window)) {
            s.kept().forEach((mask, v) -> {
                double[] acc = grow(sum, mask, v.length);
                int[] c = count.computeIfAbsent(mask, m -> new int[0]);
                if (c.length < v.length) count.put(mask, c = java.util.Arrays.copyOf(c, v.length));
                for (int i = 0; i < v.length; i++) {
                    // A non-finite fraction is a logging bug upstream; skip it rather than blank the layer.
                    if (Double.isFinite(v[i])) {
                        acc[i] += v[i];
                        c[i]++;
                    }
                }
            });
        }
        Map<String, double[]> mean = new LinkedHashMap<>();
        sum.forEach((mask, acc) -> {
            int[] c = count.get(mask);
            double[] m = new double[acc.length];
            for (int i = 0; i < m.length; i++) m[i] = c[i] == 0 ? Double.NaN : acc[i] / c[i];
            mean.put(mask, m);
        });
        return mean;
    }

    private static double[] grow(Map<String, double[]> sum, String mask, int n) {
        double[] acc = sum.computeIfAbsent(mask, m -> new double[0]);
        if (acc.length < n) sum.put(mask, acc = java.util.Arrays.copyOf(acc, n));
        return acc;
    }

    private static List<TrainingLog.Step> lastWithMasks(List<TrainingLog.Step> steps, int window) {
        List<TrainingLog.Step> with = steps.stream().filter(s -> !s.kept().isEmpty()).toList();
        return with.subList(Math.max(0, with.size() - window), with.size());
    }

    /** Grouped bars: fraction of channels kept in each layer, one bar per mask. */
    static JFreeChart kept(Map<String, double[]> mean, KeptWindow w, List<String> layerNames) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        mean.forEach((mask, v) -> {
            for (int i = 0; i < v.length; i++) {
                String layer = i < layerNames.size() ? layerNames.get(i) : "L" + i;
                data.addValue(Double.isNaN(v[i]) ? null : v[i], mask, layer);
            }
        });
        JFreeChart chart = ChartFactory.createBarChart("Channels kept per layer (" + w.describe() + ")", "layer",
                "fraction kept", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = light(chart).getCategoryPlot();
        plot.getRangeAxis().setRange(0.0, 1.0);
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        return chart;
    }

    /** White plot area: the default grey makes thin loss lines hard to read. */
    private static JFreeChart light(JFreeChart chart) {
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot p) {
            p.setDomainGridlinePaint(Color.LIGHT_GRAY);
            p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        } else if (chart.getPlot() instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
        return chart;
    }

    /** Writes a chart as PNG atomically, so a browser refreshing the report never sees half an image. */
    static void writePng(JFreeChart chart, Path file, int width, int height) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicWrite.write(file, true, tmp -> {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    ChartUtils.writeChartAsPNG(out, chart, width, height);
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot write chart: " + e.getMessage(), e);
        }
    }
}
