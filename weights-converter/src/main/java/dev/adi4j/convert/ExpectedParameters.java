package dev.adi4j.convert;

import dev.adi4j.core.model.Component;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import dev.adi4j.diffusion.vae.AutoencoderKL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter names and shapes a folder must hold, taken from adi4j's networks built shape-only for the
 * configs (so the converter can never disagree with the loader), and the comparison against a file.
 */
public final class ExpectedParameters {
    private ExpectedParameters() {
    }

    /** Declared parameters (name -> PyTorch-layout shape) of one component. */
    public static Map<String, long[]> of(Component c, ModelConfigs configs) {
        List<ParamSpec> specs = switch (c) {
            case UNET -> UNet.declaredParameters(configs.unet());
            case VAE -> AutoencoderKL.declaredParameters(configs.vae());
            case TEXT_ENCODER -> ClipTextEncoder.declaredParameters(configs.text());
        };
        Map<String, long[]> m = new LinkedHashMap<>();
        for (ParamSpec s : specs) m.put(s.name(), s.shape());
        return m;
    }

    /** Buffers a file may hold in addition to the declared parameters. */
    public static boolean optionalExtra(Component c, String name) {
        return c == Component.TEXT_ENCODER && name.equals(TextKeys.POSITION_IDS);
    }

    /**
     * Every difference between expected and actual names/shapes, each naming its key: missing, unexpected,
     * wrong shape.
     */
    public static List<String> compare(Component c, Map<String, long[]> expected, Map<String, long[]> actual) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] a = actual.get(e.getKey());
            if (a == null) {
                problems.add("'" + e.getKey() + "': missing " + c.folder() + " tensor (expected shape "
                        + Arrays.toString(e.getValue()) + ")");
            } else if (!Arrays.equals(a, e.getValue())) {
                problems.add("'" + e.getKey() + "': wrong shape " + Arrays.toString(a) + ", the " + c.folder()
                        + " network expects " + Arrays.toString(e.getValue()));
            }
        }
        for (String name : actual.keySet()) {
            if (!expected.containsKey(name) && !optionalExtra(c, name)) {
                problems.add("'" + name + "': unexpected " + c.folder() + " tensor (not a parameter of the network for this config)");
            }
        }
        return problems;
    }
}
