package dev.adi4j.mini.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adi4j.core.io.AtomicWrite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's outputs: {@value #JSON} ({@code {"rows": [{"method", "action", "subject", "total", "images", ...}]}};
 * "action", "subject" and "total" are the paper's three percentages, "target" the action benchmarked or
 * {@value MiniBench#OVERALL}), {@value #MARKDOWN} (both tables) and {@value #HTML} (tables and image grids).
 */
public final class MiniBenchReport {
    public static final String JSON = "results.json";
    public static final String MARKDOWN = "results.md";
    public static final String HTML = "report.html";

    private MiniBenchReport() {
    }

    /** Writes the three files into {@code out}, each atomically. */
    public static void write(Path out, MiniBenchConfig config, MiniBench.Results results, String judgeSummary)
            throws IOException {
        Files.createDirectories(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rows", jsonRows(out, results.rows()));
        json.put("beta_sweep", jsonRows(out, results.betaSweep()));
        json.put("config", config);
        json.put("judge", judgeSummary);
        json.put("seconds", results.seconds());
        atomic(out.resolve(JSON), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        atomic(out.resolve(MARKDOWN), markdown(config, results));
        atomic(out.resolve(HTML), html(out, config, results, judgeSummary));
    }

    private static List<Map<String, Object>> jsonRows(Path out, List<MiniBench.Row> rows) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (MiniBench.Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", r.method());
            m.put("target", r.action());
            m.put("action", round(r.all().action()));
            m.put("subject", round(r.all().subject()));
            m.put("total", round(r.all().total()));
            m.put("images", r.all().images());
            m.put("unseen_subjects", Map.of("action", round(r.unseen().action()), "subject", round(r.unseen().subject()),
                    "total", round(r.unseen().total()), "images", r.unseen().images()));
            if (!r.note().isEmpty()) m.put("note", r.note());
            if (r.grid() != null) m.put("grid", out.relativize(r.grid()).toString().replace('\\', '/'));
            list.add(m);
        }
        return list;
    }

    /** Both tables as Markdown (also printed by the command). */
    public static String markdown(MiniBenchConfig config, MiniBench.Results results) {
        StringBuilder sb = new StringBuilder();
        sb.append("## ActionBench-mini\n\n").append(table(results.rows()));
        if (!results.betaSweep().isEmpty()) {
            sb.append("\n## ADI beta sweep\n\n").append(table(results.betaSweep()));
        }
        sb.append(String.format(Locale.ROOT, "%n%d exemplars per action (subjects %s); test subjects %s, %d seed(s) each; "
                        + "%d training steps per run; %d sampler steps, guidance %.1f; %.0f s.%n", config.exemplars(),
                config.exemplarSubjects(), config.testSubjects(), config.seeds(), config.trainSteps(),
                config.sampleSteps(), config.guidance(), results.seconds()));
        return sb.toString();
    }

    private static String table(List<MiniBench.Row> rows) {
        StringBuilder sb = new StringBuilder(
                "| method | action | Action % | Subject % | Total % | Total %, unseen subjects | images | note |\n"
                        + "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (MiniBench.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %s | %d | %s |%n", r.method(), r.action(),
                    r.all().action(), r.all().subject(), r.all().total(),
                    r.unseen().images() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.unseen().total()),
                    r.all().images(), r.note()));
        }
        return sb.toString();
    }

    private static String html(Path out, MiniBenchConfig config, MiniBench.Results results, String judgeSummary) {
        StringBuilder sb = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>ActionBench-mini</title>"
                + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
                + "padding:3px 8px;text-align:right}td:first-child,td:nth-child(2){text-align:left}img{image-rendering:pixelated}"
                + "figure{display:inline-block;margin:0 1em 1em 0;vertical-align:top}</style></head><body>");
        sb.append("<h1>ActionBench-mini</h1><p>").append(esc(judgeSummary)).append("</p>");
        sb.append(htmlTable(results.rows()));
        if (!results.betaSweep().isEmpty()) sb.append("<h2>ADI beta sweep</h2>").append(htmlTable(results.betaSweep()));
        results.exemplarGrids().forEach((action, grid) -> sb.append("<h2>Exemplars: ").append(esc(action))
                .append("</h2><p>Top: the training exemplars; bottom: each one's action-different sample (same scene, "
                        + "another action).</p><img src=\"").append(esc(out.relativize(grid).toString().replace('\\', '/')))
                .append("\">"));
        sb.append("<h2>Images</h2><p>Rows: test subjects ").append(esc(config.testSubjects().toString()))
                .append("; columns: seeds. Prompt: \"a photo of a &lt;subject&gt; &lt;identifier&gt;\".</p>");
        List<MiniBench.Row> all = new ArrayList<>(results.rows());
        all.addAll(results.betaSweep());
        for (MiniBench.Row r : all) {
            if (r.grid() == null) continue;
            String src = out.relativize(r.grid()).toString().replace('\\', '/');
            sb.append("<figure><img src=\"").append(esc(src)).append("\"><figcaption>").append(esc(r.method())).append(" - ")
                    .append(esc(r.action())).append(String.format(Locale.ROOT, " (total %.1f%%) ", r.all().total()))
                    .append(esc(r.note())).append("</figcaption></figure>");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String htmlTable(List<MiniBench.Row> rows) {
        StringBuilder sb = new StringBuilder("<table><tr><th>method</th><th>action</th><th>Action %</th><th>Subject %</th>"
                + "<th>Total %</th><th>Total %, unseen subjects</th><th>images</th></tr>");
        for (MiniBench.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%s</td><td>%d</td></tr>",
                    esc(r.method()), esc(r.action()), r.all().action(), r.all().subject(), r.all().total(),
                    r.unseen().images() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.unseen().total()), r.all().images()));
        }
        return sb.append("</table>").toString();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void atomic(Path file, String text) throws IOException {
        AtomicWrite.write(file, true, tmp -> Files.writeString(tmp, text));
    }
}
