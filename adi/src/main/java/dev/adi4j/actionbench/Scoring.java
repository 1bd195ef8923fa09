package dev.adi4j.actionbench;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.adi4j.core.io.AtomicWrite;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code adi actionbench score}: percent of judged images showing the action, the subject, and both (Total), per
 * method and per (method, action), as in the paper's ActionBench table. Human annotators are pooled (every complete
 * answer counts once) and their agreement is Fleiss' kappa over the images every human answered; each automatic
 * judge ({@code judge-*}) gets its own table.
 */
public final class Scoring {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** Counts of one cell of the table. */
    public record Cell(@JsonProperty("judged") int judged, @JsonProperty("action") Double action,
                       @JsonProperty("subject") Double subject, @JsonProperty("total") Double total) {
    }

    /** One source of verdicts: "humans" (pooled) or a judge. */
    public record Table(@JsonProperty("source") String source, @JsonProperty("raters") List<String> raters,
                        @JsonProperty("per_method") Map<String, Cell> perMethod,
                        @JsonProperty("per_action") Map<String, Map<String, Cell>> perAction) {
    }

    /** Fleiss' kappa per question (null when undefined: fewer than 2 raters or no shared images). */
    public record Agreement(@JsonProperty("raters") int raters, @JsonProperty("images") int images,
                            @JsonProperty("action") Double action, @JsonProperty("subject") Double subject,
                            @JsonProperty("total") Double total) {
    }

    public record Score(@JsonProperty("format") String format, @JsonProperty("bench_sha256") String benchSha256,
                        @JsonProperty("tables") List<Table> tables, @JsonProperty("agreement") Agreement agreement) {
    }

    private Scoring() {
    }

    public static Score score(Path out) {
        BenchIndex index = BenchIndex.read(out);
        Map<String, BenchIndex.Entry> byId = index.byId();
        List<Annotations> humans = new ArrayList<>();
        List<Annotations> judges = new ArrayList<>();
        for (Annotations a : Annotations.all(out)) {
            if (!index.benchSha256().equals(a.benchSha256())) {
                throw new IllegalArgumentException(a.annotator() + ": answers for another bench file (sha256 " + a.benchSha256() + ")");
            }
            (a.judge() ? judges : humans).add(a);
        }
        if (humans.isEmpty() && judges.isEmpty()) {
            throw new IllegalArgumentException(out + ": no answers yet in " + Annotations.DIR + "/ (run `adi actionbench annotate`)");
        }
        List<Table> tables = new ArrayList<>();
        if (!humans.isEmpty()) tables.add(table("humans", humans, index, byId));
        for (Annotations j : judges) tables.add(table(j.annotator(), List.of(j), index, byId));
        return new Score("adi4j-actionbench-score/1", index.benchSha256(), tables, agreement(humans, byId));
    }

    private static Table table(String source, List<Annotations> raters, BenchIndex index, Map<String, BenchIndex.Entry> byId) {
        Map<String, int[]> method = new LinkedHashMap<>();
        Map<String, Map<String, int[]>> action = new LinkedHashMap<>();
        for (String m : index.methods()) {
            method.put(m, new int[4]);
            Map<String, int[]> row = new LinkedHashMap<>();
            for (BenchIndex.ActionEntry a : index.actions()) row.put(a.name(), new int[4]);
            action.put(m, row);
        }
        for (Annotations r : raters) {
            for (Annotations.Answer ans : r.answers()) {
                BenchIndex.Entry e = byId.get(ans.id());
                if (e == null || !ans.complete()) continue;
                for (int[] c : List.of(method.get(e.method()), action.get(e.method()).get(e.action()))) {
                    c[0]++;
                    if (ans.action()) c[1]++;
                    if (ans.subject()) c[2]++;
                    if (ans.action() && ans.subject()) c[3]++;
                }
            }
        }
        Map<String, Cell> pm = new LinkedHashMap<>();
        method.forEach((k, c) -> pm.put(k, cell(c)));
        Map<String, Map<String, Cell>> pa = new LinkedHashMap<>();
        action.forEach((m, row) -> {
            Map<String, Cell> r = new LinkedHashMap<>();
            row.forEach((a, c) -> r.put(a, cell(c)));
            pa.put(m, r);
        });
        return new Table(source, raters.stream().map(Annotations::annotator).toList(), pm, pa);
    }

    private static Cell cell(int[] c) {
        double n = c[0];
        // percentages of nothing are null (shown as "-"), not NaN
        return n == 0 ? new Cell(0, null, null, null) : new Cell(c[0], 100 * c[1] / n, 100 * c[2] / n, 100 * c[3] / n);
    }

    private static Agreement agreement(List<Annotations> humans, Map<String, BenchIndex.Entry> byId) {
        List<Map<String, Annotations.Answer>> per = new ArrayList<>();
        for (Annotations h : humans) {
            Map<String, Annotations.Answer> m = new LinkedHashMap<>();
            for (Annotations.Answer a : h.answers()) if (a.complete() && byId.containsKey(a.id())) m.put(a.id(), a);
            per.add(m);
        }
        List<String> shared = new ArrayList<>();
        if (!per.isEmpty()) {
            for (String id : per.get(0).keySet()) if (per.stream().allMatch(m -> m.containsKey(id))) shared.add(id);
        }
        if (humans.size() < 2 || shared.isEmpty()) return new Agreement(humans.size(), shared.size(), null, null, null);
        double[][] action = new double[shared.size()][];
        double[][] subject = new double[shared.size()][];
        double[][] total = new double[shared.size()][];
        for (int i = 0; i < shared.size(); i++) {
            String id = shared.get(i);
            int a = 0, s = 0, t = 0;
            for (Map<String, Annotations.Answer> m : per) {
                Annotations.Answer x = m.get(id);
                if (x.action()) a++;
                if (x.subject()) s++;
                if (x.action() && x.subject()) t++;
            }
            int n = per.size();
            action[i] = new double[]{a, n - a};
            subject[i] = new double[]{s, n - s};
            total[i] = new double[]{t, n - t};
        }
        return new Agreement(humans.size(), shared.size(), fleiss(action), fleiss(subject), fleiss(total));
    }

    /**
     * Fleiss' kappa of counts[item][category] (each row sums to the same number of raters n >= 2); null when the
     * expected agreement is 1 (every answer the same category), where kappa is undefined.
     */
    public static Double fleiss(double[][] counts) {
        int items = counts.length;
        int k = counts[0].length;
        double n = 0;
        for (double c : counts[0]) n += c;
        double[] p = new double[k];
        double meanP = 0;
        for (double[] row : counts) {
            double sq = 0;
            for (int j = 0; j < k; j++) {
                sq += row[j] * row[j];
                p[j] += row[j];
            }
            meanP += (sq - n) / (n * (n - 1));
        }
        meanP /= items;
        double pe = 0;
        for (int j = 0; j < k; j++) {
            p[j] /= items * n;
            pe += p[j] * p[j];
        }
        if (Math.abs(1 - pe) < 1e-12) return null;
        return (meanP - pe) / (1 - pe);
    }

    /** score.json, score.md, score.html (tables, bar charts, contact sheets) in the output folder. */
    public static void write(Path out, Score score) {
        try {
            byte[] json = BenchFile.STRICT.writer().withDefaultPrettyPrinter().writeValueAsBytes(score);
            String md = markdown(score);
            String html = html(out, score);
            AtomicWrite.write(out.resolve("score.json"), true, tmp -> Files.write(tmp, json));
            AtomicWrite.write(out.resolve("score.md"), true, tmp -> Files.writeString(tmp, md));
            AtomicWrite.write(out.resolve("score.html"), true, tmp -> Files.writeString(tmp, html));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the score: " + e.getMessage(), e);
        }
    }

    static String pct(Double v) {
        return v == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    static String kappa(Double v) {
        return v == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    public static String markdown(Score s) {
        StringBuilder sb = new StringBuilder("# ActionBench score\n\n");
        for (Table t : s.tables()) {
            sb.append("## ").append(t.source()).append(" (").append(String.join(", ", t.raters())).append(")\n\n");
            sb.append("| method | Action | Subject | Total | judged |\n| --- | --- | --- | --- | --- |\n");
            t.perMethod().forEach((m, c) -> sb.append("| ").append(m).append(" | ").append(pct(c.action())).append(" | ")
                    .append(pct(c.subject())).append(" | ").append(pct(c.total())).append(" | ").append(c.judged()).append(" |\n"));
            sb.append("\nPer action:\n\n| method | action | Action | Subject | Total | judged |\n| --- | --- | --- | --- | --- | --- |\n");
            t.perAction().forEach((m, row) -> row.forEach((a, c) -> sb.append("| ").append(m).append(" | ").append(a)
                    .append(" | ").append(pct(c.action())).append(" | ").append(pct(c.subject())).append(" | ")
                    .append(pct(c.total())).append(" | ").append(c.judged()).append(" |\n")));
            sb.append('\n');
        }
        Agreement a = s.agreement();
        sb.append("Inter-annotator agreement (Fleiss' kappa, ").append(a.raters()).append(" annotators, ")
                .append(a.images()).append(" images answered by all): Action ").append(kappa(a.action()))
                .append(", Subject ").append(kappa(a.subject())).append(", Total ").append(kappa(a.total())).append('\n');
        return sb.toString();
    }

    private static String html(Path out, Score s) throws IOException {
        StringBuilder sb = new StringBuilder("<!doctype html><meta charset=utf-8><title>ActionBench score</title>"
                + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;"
                + "padding:3px 8px;text-align:right}img{max-width:100%}</style><h1>ActionBench score</h1>");
        for (Table t : s.tables()) {
            sb.append("<h2>").append(esc(t.source())).append("</h2><p>raters: ").append(esc(String.join(", ", t.raters())))
                    .append("</p><table><tr><th>method<th>Action<th>Subject<th>Total<th>judged");
            DefaultCategoryDataset data = new DefaultCategoryDataset();
            t.perMethod().forEach((m, c) -> {
                sb.append("<tr><th>").append(esc(m)).append("<td>").append(pct(c.action())).append("<td>")
                        .append(pct(c.subject())).append("<td>").append(pct(c.total())).append("<td>").append(c.judged());
                data.addValue(nan0(c.action()), "Action", m);
                data.addValue(nan0(c.subject()), "Subject", m);
                data.addValue(nan0(c.total()), "Total", m);
            });
            sb.append("</table>").append(chart("Percent of images judged correct (" + t.source() + ")", data, 720, 360));
            sb.append("<h3>Per action</h3><table><tr><th>method<th>action<th>Action<th>Subject<th>Total<th>judged");
            DefaultCategoryDataset perAction = new DefaultCategoryDataset();
            t.perAction().forEach((m, row) -> row.forEach((a, c) -> {
                sb.append("<tr><th>").append(esc(m)).append("<td>").append(esc(a)).append("<td>").append(pct(c.action()))
                        .append("<td>").append(pct(c.subject())).append("<td>").append(pct(c.total())).append("<td>").append(c.judged());
                perAction.addValue(nan0(c.total()), m, a);
            }));
            sb.append("</table>").append(chart("Total per action (" + t.source() + ")", perAction, 720, 360));
        }
        Agreement a = s.agreement();
        sb.append("<h2>Agreement</h2><p>Fleiss' kappa over ").append(a.images()).append(" images answered by all ")
                .append(a.raters()).append(" human annotators: Action ").append(kappa(a.action())).append(", Subject ")
                .append(kappa(a.subject())).append(", Total ").append(kappa(a.total())).append("</p><h2>Contact sheets</h2>");
        Path sheets = out.resolve("sheets");
        if (Files.isDirectory(sheets)) {
            try (var list = Files.list(sheets)) {
                for (Path p : list.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                    String rel = "sheets/" + p.getFileName();
                    sb.append("<h3>").append(esc(p.getFileName().toString())).append("</h3><img src=\"").append(esc(rel)).append("\">");
                }
            }
        }
        return sb.toString();
    }

    private static double nan0(Double v) {
        return v == null ? 0 : v;
    }

    private static String chart(String title, DefaultCategoryDataset data, int w, int h) throws IOException {
        JFreeChart c = ChartFactory.createBarChart(title, null, "percent", data, PlotOrientation.VERTICAL, true, false, false);
        c.setBackgroundPaint(Color.WHITE);
        c.getCategoryPlot().getRangeAxis().setRange(0, 100);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, c, w, h);
        return "<p><img alt=\"" + esc(title) + "\" src=\"data:image/png;base64,"
                + java.util.Base64.getEncoder().encodeToString(png.toByteArray()) + "\"></p>";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
