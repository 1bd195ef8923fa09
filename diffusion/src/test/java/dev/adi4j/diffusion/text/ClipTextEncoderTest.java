package dev.adi4j.diffusion.text;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the encoder API beyond the goldens: shapes, caching, overrides, input validation. */
class ClipTextEncoderTest {
    private static final int PLACEHOLDER = 49408;
    private static ClipTextEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = ClipTextEncoder.load(TextFixtures.tinyTextEncoder());
    }

    private static int[] prompt(int... content) {
        int[] ids = new int[77];
        ids[0] = 49406;
        System.arraycopy(content, 0, ids, 1, content.length);
        ids[content.length + 1] = 49407;
        return ids;
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double scale = Math.max(Transforms.abs(expected).maxNumber().doubleValue(), 1e-3);
        double err = Transforms.abs(actual.sub(expected)).maxNumber().doubleValue();
        assertTrue(err <= 1e-5 * scale, "max abs error " + err + " vs scale " + scale);
    }

    @Test
    void batchRowsAreIndependentAndShortSequencesAreCausalPrefixes() {
        int[] a = prompt(320, 1125, 539, 320, 786);
        int[] b = prompt(12, 4000, 3);
        INDArray both = encoder.encode(new int[][]{a, b});
        assertArrayEquals(new long[]{2, 77, 32}, both.shape());
        assertClose(both.get(NDArrayIndex.interval(1, 2)), encoder.encode(new int[][]{b}));
        // The causal mask makes position p depend only on positions <= p.
        INDArray shortOut = encoder.encode(new int[][]{Arrays.copyOf(a, 9)});
        assertClose(both.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, 9), NDArrayIndex.all()), shortOut);
    }

    @Test
    void hiddenStatesEndWithTheFinalOutput() {
        INDArray embeds = encoder.embed(new int[][]{prompt(320, 1125)}, Map.of());
        List<INDArray> states = encoder.hiddenStates(embeds);
        assertEquals(encoder.config().numHiddenLayers() + 2, states.size());
        assertClose(encoder.forward(embeds), states.get(states.size() - 1));
    }

    @Test
    void overridesReplaceThePlaceholderPerRow() {
        int[] ids = prompt(320, 1125, PLACEHOLDER);
        INDArray v = Nd4j.rand(DataType.FLOAT, 2, 32);
        INDArray embeds = encoder.embed(new int[][]{ids, ids}, Map.of(PLACEHOLDER, v));
        for (int r = 0; r < 2; r++) {
            assertClose(v.getRow(r), embeds.get(NDArrayIndex.point(r), NDArrayIndex.point(3), NDArrayIndex.all()));
        }
        INDArray tok = encoder.embed(new int[][]{{1125}}, Map.of()).reshape(32);
        assertClose(tok, embeds.get(NDArrayIndex.point(1), NDArrayIndex.point(2), NDArrayIndex.all()));
        INDArray shared = encoder.encodeWithOverrides(new int[][]{ids}, PLACEHOLDER, v.getRow(1));
        assertClose(shared, encoder.encodeWithOverrides(new int[][]{ids, ids}, PLACEHOLDER, v)
                .get(NDArrayIndex.interval(1, 2)));
    }

    @Test
    void identifierGradientSumsTheGradientAtPlaceholderPositions() {
        int[][] ids = {prompt(PLACEHOLDER, 539, PLACEHOLDER)};
        INDArray v = Nd4j.rand(DataType.FLOAT, 1, 32);
        INDArray upstream = Nd4j.rand(DataType.FLOAT, 1, 77, 32).subi(0.5);
        ClipTextEncoder.Backward bw = encoder.backward(encoder.embed(ids, Map.of(PLACEHOLDER, v)), upstream);
        INDArray g = bw.gradInputsEmbeds();
        INDArray expected = g.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.all())
                .add(g.get(NDArrayIndex.point(0), NDArrayIndex.point(3), NDArrayIndex.all())).reshape(1, 32);
        ClipTextEncoder.IdentifierGradient ig = encoder.gradientWrtIdentifier(ids, PLACEHOLDER, v, upstream);
        assertClose(expected, ig.gradV());
        assertClose(bw.lastHiddenState(), ig.lastHiddenState());
    }

    @Test
    void severalUpstreamsGiveWhatOneCallPerUpstreamGives() {
        int[][] ids = {prompt(320, PLACEHOLDER), prompt(PLACEHOLDER, 539), prompt(1125, 539, PLACEHOLDER)};
        for (int round = 0; round < 2; round++) { // the second round runs the kept plans on new values
            INDArray v = Nd4j.rand(DataType.FLOAT, 3, 32);
            List<INDArray> upstreams = List.of(Nd4j.rand(DataType.FLOAT, 3, 77, 32).subi(0.5),
                    Nd4j.rand(DataType.FLOAT, 3, 77, 32).subi(0.5), Nd4j.rand(DataType.FLOAT, 3, 77, 32).subi(0.5));
            for (int chunk : new int[]{3, 2}) {
                List<ClipTextEncoder.IdentifierGradient> all =
                        encoder.gradientsWrtIdentifier(ids, PLACEHOLDER, v, upstreams, chunk);
                assertEquals(3, all.size());
                for (int u = 0; u < 3; u++) {
                    ClipTextEncoder.IdentifierGradient one =
                            encoder.gradientWrtIdentifier(ids, PLACEHOLDER, v, upstreams.get(u));
                    assertClose(one.gradV(), all.get(u).gradV());
                    assertClose(one.lastHiddenState(), all.get(u).lastHiddenState());
                }
            }
        }
    }

    @Test
    void rejectsBadIds() {
        TextEncoderException unknown = assertThrows(TextEncoderException.class,
                () -> encoder.encode(new int[][]{prompt(PLACEHOLDER)}));
        assertTrue(unknown.getMessage().contains("49408"), unknown.getMessage());
        assertThrows(TextEncoderException.class, () -> encoder.encode(new int[][]{new int[78]}));
        assertThrows(TextEncoderException.class, () -> encoder.encode(new int[][]{new int[77], new int[76]}));
        assertThrows(TextEncoderException.class, () -> encoder.encodeWithOverrides(new int[][]{prompt(PLACEHOLDER)},
                PLACEHOLDER, Nd4j.zeros(DataType.FLOAT, 31)));
    }
}
