package dev.adi4j.diffusion.unet;

import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import dev.adi4j.diffusion.nn.SafetensorsParameters;
import dev.adi4j.testsupport.TensorAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full-parameter training (the mini world's base model) needs d loss / d <em>every</em> UNet weight right, not only
 * the six the shared unet_grad golden holds: this golden ({@code tools/golden/unet_weight_grad.py}, diffusers 0.27.2)
 * has all of them, for a UNet of the mini world's layout (cross-attention down/up blocks, a plain deepest level,
 * the cross-attention mid block, 12 space-to-depth channels; norm groups of several channels, so no gradient is zero by
 * construction) with perturbed weights. {@code -Dadi4j.unetGradGolden=FILE} checks another file of the same format
 * (e.g. the full-size mini config, whose norms have one channel per group).
 */
class UNetAllWeightGradientsTest {
    private static final String PROPERTY = "adi4j.unetGradGolden";
    private static final double TOL = 1e-3;
    /**
     * A gradient that is zero by construction (a conv bias right before a one-channel-per-group norm, which
     * removes it) is float noise in both; it is compared against this fraction of the largest weight gradient.
     */
    private static final double FLOOR = 1e-4;

    @Test
    void everyWeightGradientEqualsDiffusers(@TempDir Path tmp) throws Exception {
        Path golden = System.getProperty(PROPERTY) != null ? Path.of(System.getProperty(PROPERTY)) : resource();
        try (SafetensorsReader g = SafetensorsReader.open(golden)) {
            Path configFile = tmp.resolve("config.json");
            Files.writeString(configFile, g.metadata().get("config"));
            UNetConfig config = Configs.read(configFile, UNetConfig.class);
            Path weightsFile = tmp.resolve("weights.safetensors");
            SafetensorsWriter w = new SafetensorsWriter();
            for (String n : g.names()) if (n.startsWith("w.")) w.add(n.substring(2), g.loadFloat(n));
            w.write(weightsFile);
            try (SafetensorsReader weights = SafetensorsReader.open(weightsFile);
                 UNet unet = new UNet(config, new SafetensorsParameters(List.of(weights), true, k -> false), null)) {
                UNet.WeightGradients r = unet.weightGradients(g.loadFloat("sample"), g.loadFloat("timestep"),
                        g.loadFloat("encoder_hidden_states"), g.loadFloat("target"));
                TensorAssert.assertClose("output", g.loadFloat("output"), r.output(), TOL);
                assertEquals(g.loadFloat("loss").getDouble(0), r.loss(), 1e-5 * Math.abs(r.loss()), "loss");
                TensorAssert.assertClose("grad.encoder_hidden_states", g.loadFloat("grad.encoder_hidden_states"),
                        r.contextGradient(), TOL);
                List<String> names = g.names().stream().filter(n -> n.startsWith("w.")).map(n -> n.substring(2))
                        .sorted().toList();
                assertEquals(names.size(), r.weightGradients().size(), "one gradient per weight");
                Map<String, INDArray> expected = new LinkedHashMap<>();
                for (String n : names) expected.put(n, g.loadFloat("grad." + n));
                double largest = 0;
                for (INDArray e : expected.values()) largest = Math.max(largest, e.amaxNumber().doubleValue());
                for (String n : names) {
                    INDArray grad = unet.parameterSpec(n).layout().toReference(r.weightGradients().get(n));
                    assertRelative("grad." + n, expected.get(n), grad, FLOOR * largest);
                }
            }
        }
    }

    /**
     * Relative to the gradient's own largest value (at least {@code floor}): weight gradients are ~1e-4..1e-6, far
     * under TensorAssert's absolute floor of 1e-3, which would let a wrong small gradient pass.
     */
    private static void assertRelative(String what, INDArray expected, INDArray actual, double floor) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what);
        double maxExpected = expected.amaxNumber().doubleValue();
        double maxDiff = expected.castTo(actual.dataType()).sub(actual).amaxNumber().doubleValue();
        double rel = maxDiff / Math.max(maxExpected, floor);
        System.out.printf(Locale.ROOT, "%s: max_abs=%.3e rel_to_max=%.3e%n", what, maxDiff, rel);
        assertTrue(rel <= TOL, what + ": max_abs " + maxDiff + " is " + rel
                + " of the largest reference value " + maxExpected + " (tolerance " + TOL + ")");
    }

    private static Path resource() throws URISyntaxException {
        return Path.of(UNetAllWeightGradientsTest.class.getResource("/golden/unet_weight_grad_mini.safetensors").toURI());
    }
}
