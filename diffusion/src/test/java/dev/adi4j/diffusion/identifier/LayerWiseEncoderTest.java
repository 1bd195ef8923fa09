package dev.adi4j.diffusion.identifier;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.testsupport.Shared;
import dev.adi4j.testsupport.TensorAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The shared identifier encoding against the transformers golden of layer-wise identifiers (text side). */
class LayerWiseEncoderTest {
    static final int PLACEHOLDER = 49408;
    static ClipTextEncoder text;

    @BeforeAll
    static void load() {
        text = ClipTextEncoder.load(Shared.tinySd().resolve("text_encoder"));
    }

    private static int[] ids(SafetensorsReader g) {
        INDArray stored = g.loadFloat("layerwise.input_ids");
        int[] ids = new int[(int) stored.size(1)];
        for (int t = 0; t < ids.length; t++) ids[t] = stored.getInt(0, t);
        return ids;
    }

    /** The golden's loss is sum_i mean((out_i - target_i)^2): dL/dout = 2 (out - target) / (77 * D). */
    private static INDArray upstream(INDArray out, SafetensorsReader g) {
        return out.sub(g.loadFloat("layerwise.target")).muli(2.0 / (out.size(1) * out.size(2)));
    }

    @Test
    void encodingAndGradientEqualTheGolden() {
        try (SafetensorsReader g = SafetensorsReader.open(Shared.golden("text_grad_embedding.safetensors"))) {
            int[] ids = ids(g);
            INDArray v = g.loadFloat("layerwise.v");
            LayerWiseEncoder encoder = new LayerWiseEncoder(text, 16);
            INDArray out = encoder.encode(ids, Map.of(PLACEHOLDER, v));
            TensorAssert.assertClose("layerwise.out", g.loadFloat("layerwise.out"), out, 1e-5);
            INDArray upstream = upstream(out, g);
            TensorAssert.assertClose("layerwise.grad_v", g.loadFloat("layerwise.grad_v"),
                    encoder.gradient(ids, PLACEHOLDER, v, upstream), 1e-4);
        }
    }

    /** The kept encoding of a training step gives the golden contexts and, per upstream, the golden gradient. */
    @Test
    void keptEncodingGivesTheGoldenForEveryUpstream() {
        try (SafetensorsReader g = SafetensorsReader.open(Shared.golden("text_grad_embedding.safetensors"))) {
            int[] ids = ids(g);
            INDArray v = g.loadFloat("layerwise.v");
            LayerWiseEncoder encoder = new LayerWiseEncoder(text, 16);
            for (int step = 0; step < 2; step++) { // the second step runs the kept plans
                try (ClipTextEncoder.IdentifierGradients kept = encoder.encodeForGradients(ids, PLACEHOLDER, v)) {
                    INDArray out = kept.lastHiddenState();
                    TensorAssert.assertClose("layerwise.out", g.loadFloat("layerwise.out"), out, 1e-5);
                    INDArray upstream = upstream(out, g);
                    INDArray other = upstream.mul(-3.0);
                    // a different upstream in between: each gradient is its own upstream's
                    TensorAssert.assertClose("layerwise.grad_v x -3", g.loadFloat("layerwise.grad_v").mul(-3.0),
                            kept.gradV(other), 1e-4);
                    TensorAssert.assertClose("layerwise.grad_v", g.loadFloat("layerwise.grad_v"),
                            kept.gradV(upstream), 1e-4);
                }
            }
        }
    }

    @Test
    void aSingleVectorIsTheSameInEveryLayer() {
        try (SafetensorsReader g = SafetensorsReader.open(Shared.golden("text_grad_embedding.safetensors"))) {
            int[] ids = ids(g);
            INDArray v = g.loadFloat("layerwise.v").getRow(3).reshape(1, -1);
            INDArray out = new LayerWiseEncoder(text, 4).encode(ids, Map.of(PLACEHOLDER, v));
            List<INDArray> layers = LayerWiseEncoder.perLayer(out);
            assertEquals(4, layers.size());
            INDArray expected = g.loadFloat("layerwise.out").get(NDArrayIndex.interval(3, 4), NDArrayIndex.all(),
                    NDArrayIndex.all());
            for (INDArray layer : layers) TensorAssert.assertClose("row", expected, layer, 1e-5);
        }
    }

    @Test
    void wrongLayerCountIsRefused() {
        LayerWiseEncoder encoder = new LayerWiseEncoder(text, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(new int[]{49406, PLACEHOLDER, 49407}, Map.of(PLACEHOLDER,
                        org.nd4j.linalg.factory.Nd4j.zeros(3, 32))));
        assertEquals("identifier for token id 49408 must be [1, D] or [16, D] (this UNet has 16 cross-attention layers),"
                + " got [3, 32]", e.getMessage());
    }
}
