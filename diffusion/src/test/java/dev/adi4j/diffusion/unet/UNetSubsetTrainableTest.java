package dev.adi4j.diffusion.unet;

import dev.adi4j.core.config.Configs;
import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.testsupport.Shared;
import dev.adi4j.testsupport.TensorAssert;
import dev.adi4j.diffusion.nn.NetGraph;
import dev.adi4j.diffusion.nn.SafetensorsParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A UNet with only a predicate-selected subset of trainable weights (the cross-attention key/value projections, as
 * Custom Diffusion trains them): its weight and context gradients equal the all-trainable graph's and the reference,
 * checkpointed or not, and its weight arrays are the ones every forward graph uses.
 */
class UNetSubsetTrainableTest {
    static final Path FIXTURES = Shared.fixtures();
    static final Path UNET = FIXTURES.resolve("tiny-sd/unet");
    static final Predicate<String> KV = n -> n.endsWith(".attn2.to_k.weight") || n.endsWith(".attn2.to_v.weight");
    static final String TO_K = "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight";

    static SafetensorsReader golden;

    @BeforeAll
    static void open() {
        golden = SafetensorsReader.open(FIXTURES.resolve("golden/unet_grad.safetensors"));
    }

    @AfterAll
    static void close() {
        golden.close();
    }

    private static UNet.WeightGradients subsetGradients(boolean checkpointing) throws Exception {
        try (UNet unet = UNet.load(UNET, KV)) {
            unet.gradientCheckpointing(checkpointing);
            return unet.weightGradients(golden.loadFloat("sample"), golden.loadFloat("timestep"),
                    golden.loadFloat("encoder_hidden_states"), golden.loadFloat("target"));
        }
    }

    @Test
    void subsetGradientsEqualTheAllTrainableGraphAndTheReference() throws Exception {
        UNet.WeightGradients whole = subsetGradients(false);
        UNet.WeightGradients staged = subsetGradients(true);
        assertEquals(16 * 2, whole.weightGradients().size(), "to_k and to_v of 16 cross-attention layers");
        assertTrue(whole.weightGradients().keySet().stream().allMatch(KV), whole.weightGradients().keySet().toString());
        assertEquals(whole.weightGradients().keySet(), staged.weightGradients().keySet());

        // every weight trainable (the graph UNetFullParameterGradTest checks): same gradients for the subset
        UNetConfig config = Configs.read(UNET.resolve("config.json"), UNetConfig.class);
        List<String> names = List.copyOf(whole.weightGradients().keySet());
        Map<String, INDArray> all;
        try (SafetensorsReader weights = SafetensorsReader.open(UNET.resolve(UNet.WEIGHTS_FILE));
             UNet unet = new UNet(config, new SafetensorsParameters(List.of(weights), true, k -> false), null)) {
            INDArray sample = golden.loadFloat("sample");
            INDArray context = golden.loadFloat("encoder_hidden_states");
            NetGraph g = unet.graph(new UNetGraphSpec(sample.size(0), sample.size(2), sample.size(3), context.size(1),
                    false, false, false, true));
            all = g.gradients(Map.of("sample", sample, "timestep", golden.loadFloat("timestep"),
                    "encoder_hidden_states", context, "target", golden.loadFloat("target")), "loss",
                    names.toArray(String[]::new), "loss");
        }
        for (String n : names) {
            assertClose(n + " (subset vs all trainable)", all.get("grad:" + n), whole.weightGradients().get(n), 1e-5);
            assertClose(n + " (checkpointed vs whole)", whole.weightGradients().get(n), staged.weightGradients().get(n), 1e-5);
        }

        double loss = golden.loadFloat("loss").getDouble(0);
        assertEquals(loss, whole.loss(), 1e-5 * loss);
        assertEquals(loss, staged.loss(), 1e-5 * loss);
        for (UNet.WeightGradients r : List.of(whole, staged)) {
            try (UNet unet = UNet.load(UNET)) {
                INDArray ref = unet.parameterSpec(TO_K).layout().toReference(r.weightGradients().get(TO_K));
                TensorAssert.assertClose("unet_grad grad_param." + TO_K, golden.loadFloat("grad_param." + TO_K), ref, 1e-3);
            }
            TensorAssert.assertClose("unet_grad grad_encoder_hidden_states",
                    golden.loadFloat("grad_encoder_hidden_states"), r.contextGradient(), 1e-3);
        }
    }

    @Test
    void weightArraysAreSharedWithForwardGraphs() throws Exception {
        INDArray sample = golden.loadFloat("sample");
        INDArray t = golden.loadFloat("timestep");
        INDArray context = golden.loadFloat("encoder_hidden_states");
        try (UNet frozen = UNet.load(UNET); UNet unet = UNet.load(UNET, KV)) {
            INDArray reference = frozen.forward(sample, t, context);
            INDArray before = unet.forward(sample, t, context);
            assertTrue(Arrays.equals(reference.data().asFloat(), before.data().asFloat()),
                    "trainable weights must not change the forward pass");

            // in-place updates reach an already built graph and graphs built later (another shape)
            INDArray w = unet.parameter(TO_K);
            INDArray saved = w.dup();
            w.addi(0.5);
            assertNotEquals(0.0, unet.forward(sample, t, context).sub(before).amaxNumber().doubleValue());
            INDArray halfCtx = context.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 9), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
            INDArray otherShape = unet.forward(sample, t, halfCtx);
            assertNotEquals(0.0, otherShape.sub(frozen.forward(sample, t, halfCtx)).amaxNumber().doubleValue());
            // also the frozen UNet's constants are the live arrays: the same edit there gives the same output
            frozen.parameter(TO_K).addi(0.5);
            assertTrue(Arrays.equals(frozen.forward(sample, t, halfCtx).data().asFloat(), otherShape.data().asFloat()));

            w.assign(saved);
            assertTrue(Arrays.equals(before.data().asFloat(), unet.forward(sample, t, context).data().asFloat()),
                    "restoring the weights restores the output exactly");
            assertFalse(unet.trainableParameters().isEmpty());
            assertTrue(frozen.trainableParameters().isEmpty());
        }
    }

    private static void assertClose(String what, INDArray expected, INDArray actual, double rel) {
        assertTrue(Arrays.equals(expected.shape(), actual.shape()), what + ": shape");
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 0, what + ": all zero, the comparison would prove nothing");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= rel * scale, what + ": max |diff| " + diff + " vs scale " + scale);
    }
}
