package dev.adi4j.adi.report;

import dev.adi4j.adi.log.TrainingLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TrainingReportTest {
    @TempDir
    Path run;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static TrainingLog.Step step(int n, double keptMerged) {
        Map<String, Double> loss = new LinkedHashMap<>();
        loss.put("anchor", 1.0 / n);
        loss.put("context", n == 3 ? Double.NaN : 0.5 / n);
        Map<String, double[]> kept = new LinkedHashMap<>();
        kept.put("context", new double[]{0.9, 0.8, 0.7, 0.6});
        kept.put("merged", new double[]{keptMerged, keptMerged / 2, 0.1, 0.0});
        return new TrainingLog.Step(n, 1e-3, loss, kept);
    }

    private Path writeLog(int steps) {
        Path log = run.resolve("train-log.jsonl");
        try (TrainingLog l = TrainingLog.open(log)) {
            for (int i = 1; i <= steps; i++) l.append(step(i, i / 10.0));
        }
        return log;
    }

    private Path validationImage(String rel) throws IOException {
        Path f = run.resolve(rel);
        Files.createDirectories(f.getParent());
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", f.toFile());
        return f;
    }

    private static void assertValidPng(Path f, int w, int h) throws IOException {
        assertTrue(Files.isRegularFile(f), f + " exists");
        byte[] bytes = Files.readAllBytes(f);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), f + " has the PNG signature");
        BufferedImage img = ImageIO.read(f.toFile());
        assertNotNull(img, f + " decodes");
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
    }

    @Test
    void writesHtmlWithChartsAndValidationGridsGroupedByStep() throws IOException {
        Path log = writeLog(5);
        Path a = validationImage("validation/step-000002/a panda & me.png");
        Path b = validationImage("validation/step-000004/obama.png");
        Path c = validationImage("validation/step-000004/dog.png");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("run", "raise-hand");
        meta.put("method", "adi <beta=0.6> & \"more\"");
        Path html = TrainingReport.write(run, log, List.of(
                new TrainingReport.ValidationImage(2, a, "a panda <A>"),
                new TrainingReport.ValidationImage(4, b, "Barack Obama <A>"),
                new TrainingReport.ValidationImage(4, c, null),
                new TrainingReport.ValidationImage(4, run.resolve("validation/gone.png"), "gone")), meta);

        assertEquals(run.resolve("report.html"), html);
        assertValidPng(run.resolve(TrainingReport.LOSS_PNG), 900, 420);
        assertValidPng(run.resolve(TrainingReport.KEPT_PNG), 900, 420);
        String s = Files.readString(html);
        assertTrue(s.contains("<img src=\"report/loss.png\""), "links the loss chart");
        assertTrue(s.contains("<img src=\"report/kept-channels.png\""), "links the kept chart");
        assertTrue(s.contains("src=\"validation/step-000002/a%20panda%20%26%20me.png\""), s);
        assertTrue(s.contains("src=\"validation/step-000004/obama.png\""));
        assertTrue(s.contains("<figcaption>dog.png</figcaption>"), "file name when no label");
        assertTrue(s.contains("gone <span class=\"missing\">(file missing)</span>"));
        // Escaped text, never raw markup from metadata or labels.
        assertTrue(s.contains("adi &lt;beta=0.6&gt; &amp; &quot;more&quot;"));
        assertTrue(s.contains("a panda &lt;A&gt;"));
        assertFalse(s.contains("<A>"));
        assertFalse(s.contains("<beta"));
        assertTrue(s.contains("<title>ADI training report: raise-hand</title>"));
        // Newest step first.
        assertTrue(s.indexOf("<h3>Step 4</h3>") < s.indexOf("<h3>Step 2</h3>"));
        assertTrue(s.indexOf("<h3>Step 4</h3>") > 0);
        assertTrue(s.contains("mean over the last 5 logged steps, 1-5"));
        // Nothing half-written left behind.
        try (var files = Files.list(run.resolve("report"))) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void keptChartAveragesTheLastWindowOfSteps() {
        List<TrainingLog.Step> steps = List.of(step(1, 0.1), step(2, 0.2), step(3, 0.4), step(4, 0.6),
                new TrainingLog.Step(5, 1e-3, Map.of("anchor", 0.1), Map.of()));
        ReportCharts.KeptWindow w = ReportCharts.keptWindow(steps, 2);
        assertEquals(new ReportCharts.KeptWindow(3, 4, 2), w);
        Map<String, double[]> mean = ReportCharts.meanKept(steps, 2);
        assertEquals(List.of("context", "merged"), List.copyOf(mean.keySet()));
        assertArrayEquals(new double[]{0.5, 0.25, 0.1, 0.0}, mean.get("merged"), 1e-12);
        assertArrayEquals(new double[]{0.6, 0.3, 0.1, 0.0}, ReportCharts.meanKept(steps, 1).get("merged"), 1e-12);
        assertEquals("step 4", ReportCharts.keptWindow(steps, 1).describe());
    }

    @Test
    void emptyLogWritesAPageWithoutCharts() throws IOException {
        Path log = writeLog(0);
        Path html = TrainingReport.write(run, log, List.of(), Map.of());
        String s = Files.readString(html);
        assertTrue(s.contains("No training steps logged yet."));
        assertFalse(s.contains("report/loss.png"));
        assertFalse(Files.exists(run.resolve(TrainingReport.LOSS_PNG)));
    }

    @Test
    void escapesAndRelativeHrefs() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", TrainingReport.esc("<a href=\"x\">&'"));
        assertEquals("../other/x%20y.png", TrainingReport.relativeHref(run.resolve("r"), run.resolve("other/x y.png")));
    }
}
