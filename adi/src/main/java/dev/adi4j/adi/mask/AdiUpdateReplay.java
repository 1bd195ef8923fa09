package dev.adi4j.adi.mask;

import dev.adi4j.adi.optim.AdamW;
import dev.adi4j.adi.mask.MaskedUpdate;
import dev.adi4j.core.safetensors.SafetensorsReader;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Replays an {@code adi_update} golden case (fixtures README, "c4 — ADI update rule"): from {@code v0} and
 * each step's three gradients, runs {@link MaskedUpdate} at a constant learning rate and returns every
 * output under the case file's names.
 */
public final class AdiUpdateReplay {
    /** Name of the identifiers' AdamW state. */
    static final String PARAM = "v";

    private AdiUpdateReplay() {
    }

    /** A case's {@code params}. */
    public record Params(MaskMethod method, double beta, MaskScope scope, int steps, double lr, double beta1,
                         double beta2, double eps, double weightDecay) {
        public Params {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(scope, "scope");
            if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }

        /**
         * From a case's {@code params} object as parsed JSON (numbers or numeric strings). {@code optimizer},
         * when present, must be "adamw".
         */
        public static Params fromJson(Map<String, Object> json) {
            Objects.requireNonNull(json, "params");
            Object optimizer = json.get("optimizer");
            if (optimizer != null && !"adamw".equals(String.valueOf(optimizer))) {
                throw new IllegalArgumentException("params.optimizer: only \"adamw\" is supported, got \""
                        + optimizer + "\"");
            }
            double steps = number(json, "steps");
            if (steps != Math.rint(steps) || steps < 1 || steps > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("params.steps must be a positive integer, got " + steps);
            }
            return new Params(MaskMethod.parse(text(json, "method")), number(json, "beta"),
                    MaskScope.parse(text(json, "scope")), (int) steps, number(json, "lr"), number(json, "beta1"),
                    number(json, "beta2"), number(json, "eps"), number(json, "weight_decay"));
        }

        public AdamW.Settings adamW() {
            return new AdamW.Settings(beta1, beta2, eps, weightDecay);
        }

        private static String text(Map<String, Object> json, String key) {
            Object v = json.get(key);
            if (v == null) throw new IllegalArgumentException("params." + key + " is missing");
            return String.valueOf(v);
        }

        private static double number(Map<String, Object> json, String key) {
            Object v = json.get(key);
            if (v == null) throw new IllegalArgumentException("params." + key + " is missing");
            if (v instanceof Number n) return n.doubleValue();
            try {
                return Double.parseDouble(String.valueOf(v).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("params." + key + " is not a number: \"" + v + "\"");
            }
        }
    }

    /**
     * Runs the case and returns, for each step s, {@code step{s}.mask_context}, {@code step{s}.mask_action},
     * {@code step{s}.mask}, {@code step{s}.g_masked} and {@code step{s}.v}.
     */
    public static Map<String, INDArray> replay(Path caseFile, Params p) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(caseFile)) {
            INDArray v = r.loadFloat("v0");
            MaskedUpdate update = new MaskedUpdate(new GradientMasks(p.method(), p.beta(), p.scope()),
                    new AdamW(p.adamW()));
            for (int s = 0; s < p.steps(); s++) {
                String prefix = "step" + s + ".";
                GradientMasks.Result res = update.step(PARAM, v, r.loadFloat(prefix + "g_anchor"),
                        r.loadFloat(prefix + "g_context"), r.loadFloat(prefix + "g_action"), p.lr());
                out.put(prefix + "mask_context", res.contextMask());
                out.put(prefix + "mask_action", res.actionMask());
                out.put(prefix + "mask", res.mask());
                out.put(prefix + "g_masked", res.maskedGradient());
                out.put(prefix + "v", v.dup('c'));
            }
        }
        return out;
    }
}
