package dev.adi4j.adi.mask;

import dev.adi4j.adi.optim.AdamW;
import dev.adi4j.adi.mask.MaskedUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Worked examples of the rule, edge cases and error messages. */
class GradientMasksTest {
    private static INDArray m(float[]... rows) {
        return Nd4j.createFromArray(rows);
    }

    /**
     * Row [5, 1, 3, 3, 0, 3], beta 0.5: n = 6, k = 3, sorted 0 1 3 3 3 5. Context: threshold s[3] = 3, so
     * 5 and all three 3s are masked (four, more than k). Action: threshold s[3] = 3, so only 0 and 1 are
     * masked (two, fewer than k).
     */
    @Test
    void tiesWorkedExample() {
        INDArray d = m(new float[]{5, 1, 3, 3, 0, 3});
        assertArrayEquals(new float[]{0, 1, 0, 0, 1, 0}, GradientMasks.contextMask(d, 0.5, MaskScope.TOKEN).toFloatVector());
        assertArrayEquals(new float[]{1, 0, 1, 1, 0, 1}, GradientMasks.actionMask(d, 0.5, MaskScope.TOKEN).toFloatVector());
    }

    /** Token scope thresholds each row; global scope thresholds all values together. */
    @Test
    void tokenAndGlobalScope() {
        INDArray d = m(new float[]{1, 2, 3, 4}, new float[]{10, 20, 30, 40});
        // token, beta 0.25: k = floor(1 + 0.5) = 1 per row
        assertArrayEquals(new float[][]{{1, 1, 1, 0}, {1, 1, 1, 0}},
                GradientMasks.contextMask(d, 0.25, MaskScope.TOKEN).toFloatMatrix());
        assertArrayEquals(new float[][]{{0, 1, 1, 1}, {0, 1, 1, 1}},
                GradientMasks.actionMask(d, 0.25, MaskScope.TOKEN).toFloatMatrix());
        // global, beta 0.25: n = 8, k = 2
        assertArrayEquals(new float[][]{{1, 1, 1, 1}, {1, 1, 0, 0}},
                GradientMasks.contextMask(d, 0.25, MaskScope.GLOBAL).toFloatMatrix());
        assertArrayEquals(new float[][]{{0, 0, 1, 1}, {1, 1, 1, 1}},
                GradientMasks.actionMask(d, 0.25, MaskScope.GLOBAL).toFloatMatrix());
    }

    @Test
    void roundingOfK() {
        assertEquals(0, GradientMasks.maskedCount(0.0, 1024));
        assertEquals(1024, GradientMasks.maskedCount(1.0, 1024));
        assertEquals(3, GradientMasks.maskedCount(0.5, 5));     // 2.5 rounds half up
        assertEquals(1, GradientMasks.maskedCount(0.3, 4));     // 1.2
        assertEquals(2, GradientMasks.maskedCount(0.375, 4));   // 1.5
    }

    /** k = 0 masks nothing and k = n everything, whatever the ties (all values equal here). */
    @Test
    void edgeRatios() {
        INDArray d = Nd4j.valueArrayOf(new long[]{2, 3}, 7f, DataType.FLOAT);
        for (MaskScope scope : MaskScope.values()) {
            assertEquals(6, GradientMasks.contextMask(d, 0.0, scope).sumNumber().intValue());
            assertEquals(6, GradientMasks.actionMask(d, 0.0, scope).sumNumber().intValue());
            assertEquals(0, GradientMasks.contextMask(d, 1.0, scope).sumNumber().intValue());
            assertEquals(0, GradientMasks.actionMask(d, 1.0, scope).sumNumber().intValue());
            // all tied: the context mask takes everything tied with the threshold, the action mask nothing
            assertEquals(0, GradientMasks.contextMask(d, 0.5, scope).sumNumber().intValue());
            assertEquals(6, GradientMasks.actionMask(d, 0.5, scope).sumNumber().intValue());
        }
    }

    @Test
    void computeMergesAndMasks() {
        INDArray a = m(new float[]{1, -2, 3, -4});
        INDArray c = m(new float[]{1, -2, 0, 0});      // dgc = 0 0 3 4: context masks channels 2, 3
        INDArray x = m(new float[]{9, -2, 3, 0});      // dga = 8 0 0 4: action masks channels 1, 2
        GradientMasks.Result r = new GradientMasks(MaskMethod.ADI, 0.5, MaskScope.TOKEN).compute(a, c, x);
        assertArrayEquals(new float[]{1, 1, 0, 0}, r.contextMask().toFloatVector());
        assertArrayEquals(new float[]{1, 0, 0, 1}, r.actionMask().toFloatVector());
        assertArrayEquals(new float[]{1, 0, 0, 0}, r.mask().toFloatVector());
        // mask * g keeps the sign of a masked negative gradient (-0), as numpy's goldens do
        assertArrayEquals(new float[]{1, -0f, 0, -0f}, r.maskedGradient().toFloatVector());
        assertArrayEquals(new double[]{0.5}, r.contextKeptPerRow());
        assertArrayEquals(new double[]{0.25}, r.maskKeptPerRow());
        GradientMasks.Result u = new GradientMasks(MaskMethod.ADI_UNION, 0.5, MaskScope.TOKEN).compute(a, c, x);
        assertArrayEquals(new float[]{1, -2, 0, -4}, u.maskedGradient().toFloatVector());
        assertFalse(u.maskedGradient() == a, "the result must not alias g_anchor");
    }

    @Test
    void passThroughOnlyForUnmaskedMethods() {
        INDArray a = m(new float[]{1, -2});
        GradientMasks.Result r = new GradientMasks(MaskMethod.PPLUS, 0.5, MaskScope.TOKEN).passThrough(a);
        assertNull(r.contextMask());
        assertNull(r.actionKeptPerRow());
        assertArrayEquals(new float[]{1, -2}, r.maskedGradient().toFloatVector());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new GradientMasks(MaskMethod.ADI, 0.5, MaskScope.TOKEN).passThrough(a));
        assertTrue(e.getMessage().contains("context and action gradients"), e.getMessage());
    }

    @Test
    void clearErrors() {
        INDArray ok = Nd4j.zeros(DataType.FLOAT, 2, 3);
        GradientMasks g = new GradientMasks(MaskMethod.ADI, 0.5, MaskScope.TOKEN);
        assertMessage("beta", () -> new GradientMasks(MaskMethod.ADI, 1.5, MaskScope.TOKEN));
        assertMessage("beta", () -> new GradientMasks(MaskMethod.ADI, Double.NaN, MaskScope.TOKEN));
        assertMessage("g_context has shape [3, 2] but g_anchor has [2, 3]",
                () -> g.compute(ok, Nd4j.zeros(DataType.FLOAT, 3, 2), ok));
        assertMessage("g_anchor must have shape [L, D]", () -> g.compute(Nd4j.zeros(DataType.FLOAT, 6), ok, ok));
        assertMessage("g_action must be float32", () -> g.compute(ok, ok, Nd4j.zeros(DataType.DOUBLE, 2, 3)));
        INDArray nan = ok.dup();
        nan.putScalar(1, 2, Float.NaN);
        assertMessage("g_context holds NaN", () -> g.compute(ok, nan, ok));
        assertMessage("g_action is missing", () -> g.compute(ok, ok, null));
        assertMessage("valid methods: ti, pplus, adi, adi-union, adi-context-only, adi-action-only",
                () -> MaskMethod.parse("adi-intersection"));
        assertMessage("valid scopes: token, global", () -> MaskScope.parse("layer"));
        MaskedUpdate u = new MaskedUpdate(g, new AdamW(AdamW.Settings.torchDefaults()));
        assertMessage("needs both the context and the action gradient", () -> u.step("v", ok.dup(), ok, null, null, 1e-3));
    }

    @Test
    void methodNames() {
        for (MaskMethod method : MaskMethod.values()) assertEquals(method, MaskMethod.parse(method.cliName()));
        assertEquals(MaskMethod.ADI_UNION, MaskMethod.parse(" ADI-Union "));
        assertFalse(MaskMethod.TI.layerWise());
        assertTrue(MaskMethod.PPLUS.layerWise());
        assertFalse(MaskMethod.PPLUS.usesMasks());
        assertTrue(MaskMethod.ADI_ACTION_ONLY.usesMasks());
        assertEquals(MaskScope.GLOBAL, MaskScope.parse("global"));
    }

    private static void assertMessage(String part, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }
}
