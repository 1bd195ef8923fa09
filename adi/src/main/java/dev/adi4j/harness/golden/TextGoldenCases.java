package dev.adi4j.harness.golden;

import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.core.safetensors.SafetensorsReader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden cases of kind {@code text_forward} and {@code text_grad_embedding} (see shared/fixtures/README.md):
 * runs the text encoder of {@code modelFolder} on a case file's inputs and compares the listed outputs.
 */
public final class TextGoldenCases {
    /** The id transformers gave the added placeholder token when the goldens were made. */
    private static final int DEFAULT_PLACEHOLDER_ID = 49408;
    /** Groups of text_grad_embedding: tensor-name prefix, and the name of that group's encoder output. */
    private static final Map<String, String> GRAD_GROUPS = Map.of(
            "", "last_hidden_state", "twice.", "last_hidden_state", "layerwise.", "out");

    private TextGoldenCases() {
    }

    /** input_ids -> last_hidden_state and hidden_states.0..N. */
    public static List<CaseResult> textForward(Path caseFile, Path modelFolder, List<String> outputs, double tol) {
        try (ClipTextEncoder encoder = ClipTextEncoder.load(modelFolder);
             SafetensorsReader golden = SafetensorsReader.open(caseFile)) {
            int[][] ids = ids(golden.loadFloat("input_ids"));
            List<INDArray> states = encoder.hiddenStates(encoder.embed(ids, Map.of()));
            Map<String, INDArray> actual = new LinkedHashMap<>();
            for (int i = 0; i < states.size() - 1; i++) actual.put("hidden_states." + i, states.get(i));
            actual.put("last_hidden_state", states.get(states.size() - 1));
            return compare(caseName(caseFile), golden, actual, outputs, tol);
        }
    }

    /**
     * Textual-inversion gradients: for each group (plain, {@code twice.}, {@code layerwise.}) the prompt is
     * encoded with the placeholder := v (one v per row for layerwise), loss = sum over rows of
     * mean((out - target)^2), and grad_v = d loss / d v. Only groups with a requested output are run.
     */
    public static List<CaseResult> textGradEmbedding(Path caseFile, Path modelFolder, List<String> outputs, double tol) {
        try (ClipTextEncoder encoder = ClipTextEncoder.load(modelFolder);
             SafetensorsReader golden = SafetensorsReader.open(caseFile)) {
            String idText = golden.metadata().get("placeholder_id");
            int placeholder = idText == null ? DEFAULT_PLACEHOLDER_ID : Integer.parseInt(idText.trim());
            Map<String, INDArray> actual = new LinkedHashMap<>();
            for (Map.Entry<String, String> g : GRAD_GROUPS.entrySet()) {
                String prefix = g.getKey();
                if (outputs.stream().anyMatch(o -> groupOf(o).equals(prefix))) {
                    actual.putAll(gradGroup(encoder, golden, prefix, g.getValue(), placeholder));
                }
            }
            return compare(caseName(caseFile), golden, actual, outputs, tol);
        }
    }

    private static String groupOf(String output) {
        int dot = output.indexOf('.');
        String prefix = dot < 0 ? "" : output.substring(0, dot + 1);
        return GRAD_GROUPS.containsKey(prefix) ? prefix : "";
    }

    private static Map<String, INDArray> gradGroup(ClipTextEncoder encoder, SafetensorsReader golden, String prefix,
                                                   String outName, int placeholder) {
        INDArray v = golden.loadFloat(prefix + "v");
        INDArray target = golden.loadFloat(prefix + "target");
        int[][] ids = ids(golden.loadFloat(prefix + "input_ids"));
        int rows = (int) target.size(0);
        if (ids.length == 1 && rows > 1) ids = repeatRow(ids[0], rows);

        INDArray out = encoder.encodeWithOverrides(ids, placeholder, v);
        double perRow = (double) target.size(1) * target.size(2);
        INDArray diff = out.sub(target);
        double loss = diff.mul(diff).sumNumber().doubleValue() / perRow;
        INDArray upstream = diff.mul(2.0 / perRow);
        INDArray gradV = encoder.gradientWrtIdentifier(ids, placeholder, v, upstream).gradV();
        if (v.rank() == 1) gradV = gradV.sum(0);

        Map<String, INDArray> r = new LinkedHashMap<>();
        r.put(prefix + outName, out);
        r.put(prefix + "loss", Nd4j.createFromArray((float) loss));
        r.put(prefix + "grad_v", gradV);
        return r;
    }

    private static List<CaseResult> compare(String caseName, SafetensorsReader golden, Map<String, INDArray> actual,
                                            List<String> outputs, double tol) {
        List<CaseResult> results = new ArrayList<>();
        for (String o : outputs) {
            if (!golden.contains(o)) {
                results.add(CaseResult.failure(caseName, o, "the case file has no tensor '" + o + "'"));
            } else if (!actual.containsKey(o)) {
                results.add(CaseResult.failure(caseName, o, "not an output of this case kind"));
            } else {
                results.add(Compare.compare(caseName, o, actual.get(o), golden.loadFloat(o), tol));
            }
        }
        return results;
    }

    /** Token ids stored as integral float32 values [B, L]. */
    static int[][] ids(INDArray stored) {
        INDArray m = stored.rank() == 1 ? stored.reshape(1, stored.length()) : stored;
        int[][] ids = new int[(int) m.size(0)][(int) m.size(1)];
        for (int r = 0; r < ids.length; r++) {
            for (int p = 0; p < ids[r].length; p++) ids[r][p] = Math.round(m.getFloat(r, p));
        }
        return ids;
    }

    private static int[][] repeatRow(int[] row, int rows) {
        int[][] ids = new int[rows][];
        for (int r = 0; r < rows; r++) ids[r] = row.clone();
        return ids;
    }

    private static String caseName(Path caseFile) {
        String f = caseFile.getFileName().toString();
        return f.endsWith(".safetensors") ? f.substring(0, f.length() - ".safetensors".length()) : f;
    }
}
