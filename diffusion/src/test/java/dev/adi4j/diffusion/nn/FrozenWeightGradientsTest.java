package dev.adi4j.diffusion.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frozen-weight conv2d, matmul and bias-add backwards (input gradient only) give the same input gradient as
 * SameDiff's conv2d_bp / matmul_bp / add_bp, which still run where they must: trainable weights, stride 2.
 */
class FrozenWeightGradientsTest {
    private record Result(INDArray grad, Set<String> gradientOps) {
    }

    /** d sum(y^2) / dx and the op names of the gradient function SameDiff built. */
    private static Result sumOfSquaresGradient(NetGraph g, Tensor y, INDArray x) {
        SDVariable loss = y.var().mul(y.var()).sum();
        loss.rename("loss");
        INDArray grad = g.gradients(Map.of("x", x), "loss", new String[]{"x"}).get("grad:x");
        Set<String> ops = java.util.Arrays.stream(g.sameDiff().getFunction("grad").ops()).map(op -> op.opName())
                .collect(Collectors.toSet());
        return new Result(grad, ops);
    }

    private static Result gradient(boolean trainableWeights, int kernel, int stride, int padding, INDArray x, INDArray w, INDArray b) {
        NetGraph g = NetGraph.create();
        SameDiff sd = g.sameDiff();
        Tensor tx = g.input("x", true, x.shape());
        SDVariable wv = trainableWeights ? sd.var("w", w) : sd.constant("w", w);
        SDVariable bv = trainableWeights ? sd.var("b", b) : sd.constant("b", b);
        Tensor y = new Ops(sd).conv2d(tx, wv, bv, w.size(3), kernel, stride, padding);
        return sumOfSquaresGradient(g, y, x);
    }

    @ParameterizedTest
    @CsvSource({"3,1,1", "1,1,0", "3,2,1"})
    void inputGradientEqualsConv2dBp(int kernel, int stride, int padding) {
        assertTrue(SameDiffPatches.installed());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 5, 9, 8);
        INDArray w = Nd4j.randn(DataType.FLOAT, kernel, kernel, 5, 7);
        INDArray b = Nd4j.randn(DataType.FLOAT, 7);
        Result frozen = gradient(false, kernel, stride, padding, x, w, b);
        Result stock = gradient(true, kernel, stride, padding, x, w, b);
        assertTrue(stock.gradientOps().contains("conv2d_bp"), stock.gradientOps().toString());
        if (stride == 1) {
            assertTrue(frozen.gradientOps().contains("deconv2d") && !frozen.gradientOps().contains("conv2d_bp"),
                    frozen.gradientOps().toString());
        } else {
            assertTrue(frozen.gradientOps().contains("conv2d_bp"), frozen.gradientOps().toString());
        }
        assertEquals(0, frozen.grad().sub(stock.grad()).amaxNumber().doubleValue(), 1e-4 * stock.grad().amaxNumber().doubleValue());
    }

    private static Result linearGradient(boolean trainableWeights, INDArray x, INDArray w) {
        return linearGradient(trainableWeights, x, w, null);
    }

    private static Result linearGradient(boolean trainableWeights, INDArray x, INDArray w, INDArray b) {
        NetGraph g = NetGraph.create();
        SameDiff sd = g.sameDiff();
        Tensor tx = g.input("x", true, x.shape());
        SDVariable wv = trainableWeights ? sd.var("w", w) : sd.constant("w", w);
        SDVariable bv = b == null ? null : trainableWeights ? sd.var("b", b) : sd.constant("b", b);
        Tensor y = new Ops(sd).linear(tx, wv, bv, w.size(1));
        return sumOfSquaresGradient(g, y, x);
    }

    @org.junit.jupiter.api.Test
    void linearWithBiasInputGradientEqualsAddBp() {
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 6, 5);
        INDArray w = Nd4j.randn(DataType.FLOAT, 5, 7);
        INDArray b = Nd4j.randn(DataType.FLOAT, 7);
        Result frozen = linearGradient(false, x, w, b);
        Result stock = linearGradient(true, x, w, b);
        assertTrue(stock.gradientOps().contains("add_bp"), stock.gradientOps().toString());
        assertTrue(!frozen.gradientOps().contains("add_bp"), frozen.gradientOps().toString());
        assertEquals(0, frozen.grad().sub(stock.grad()).amaxNumber().doubleValue(), 1e-5 * stock.grad().amaxNumber().doubleValue());
    }

    @org.junit.jupiter.api.Test
    void linearInputGradientEqualsMatmulBp() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 6, 5);
        INDArray w = Nd4j.randn(DataType.FLOAT, 5, 7);
        Result frozen = linearGradient(false, x, w);
        Result stock = linearGradient(true, x, w);
        assertTrue(stock.gradientOps().contains("matmul_bp"), stock.gradientOps().toString());
        assertTrue(!frozen.gradientOps().contains("matmul_bp"), frozen.gradientOps().toString());
        assertEquals(0, frozen.grad().sub(stock.grad()).amaxNumber().doubleValue(), 1e-5 * stock.grad().amaxNumber().doubleValue());
    }
}
