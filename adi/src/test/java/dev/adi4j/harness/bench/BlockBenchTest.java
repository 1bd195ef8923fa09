package dev.adi4j.harness.bench;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The block workloads at tiny sizes: their gradient graphs give gradients of the inputs' shapes whose values
 * agree with central finite differences of the loss (per element and along a random direction).
 */
class BlockBenchTest {
    /*
     * The loss is a float32 mean of ~1 over thousands of elements, so a finite difference needs a step whose loss
     * change stands well above float32 rounding; each check's step and tolerance were chosen by scanning steps
     * 0.01..1 (errors then were 3-10x below the tolerances). A wrong sign, a missing term or a factor is far outside.
     */

    /** Central difference of the block's loss along {@code dir} applied to {@code input}. */
    private static double finiteDifference(BlockBench.Block block, String input, INDArray dir, double eps) {
        Map<String, INDArray> plus = new HashMap<>(block.values());
        Map<String, INDArray> minus = new HashMap<>(block.values());
        INDArray base = block.values().get(input);
        plus.put(input, base.add(dir.mul(eps)));
        minus.put(input, base.sub(dir.mul(eps)));
        return (block.loss(plus) - block.loss(minus)) / (2 * eps);
    }

    private static void assertClose(double expected, double actual, double relTol, String what) {
        double err = Math.abs(expected - actual);
        assertTrue(err <= relTol * Math.abs(expected), what + ": finite difference " + expected + ", gradient "
                + actual + " (relative error " + err / Math.abs(expected) + ")");
    }

    /** Checks the gradient w.r.t. {@code input} along a random direction (this covers every element at once). */
    private static void checkDirection(BlockBench.Block block, Map<String, INDArray> grads, String input, double eps,
                                       double relTol) {
        INDArray grad = grads.get("grad:" + input);
        assertArrayEquals(block.values().get(input).shape(), grad.shape(), "shape of dL/d" + input);
        Nd4j.getRandom().setSeed(7);
        INDArray dir = Nd4j.randn(DataType.FLOAT, grad.shape());
        double analytic = grad.castTo(DataType.DOUBLE).mul(dir.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
        assertClose(finiteDifference(block, input, dir, eps), analytic, relTol, "dL/d" + input + " along a random direction");
    }

    /** Checks the {@code count} largest elements of dL/d{@code input} one by one. */
    private static void checkLargestElements(BlockBench.Block block, Map<String, INDArray> grads, String input,
                                             int count, double eps, double relTol) {
        INDArray flat = grads.get("grad:" + input).reshape(-1).dup();
        for (int k = 0; k < count; k++) {
            long i = Nd4j.argMax(Transforms.abs(flat, true)).getLong(0);
            INDArray dir = Nd4j.zeros(DataType.FLOAT, flat.length());
            dir.putScalar(i, 1f);
            double fd = finiteDifference(block, input, dir.reshape(block.values().get(input).shape()), eps);
            assertClose(fd, flat.getDouble(i), relTol, "dL/d" + input + "[" + i + "]");
            flat.putScalar(i, 0f);
        }
    }

    @Test
    void attentionPairGradientsMatchFiniteDifferences() {
        BlockBench.Block a1 = BlockBench.a1(16);
        assertArrayEquals(new long[]{1, 16, 320}, a1.forward().shape());
        Map<String, INDArray> grads = a1.forwardBackward();
        assertEquals(a1.loss(a1.values()), grads.get("loss").getDouble(0), 1e-6);
        checkLargestElements(a1, grads, "x", 3, 0.1, 1e-2);
        checkDirection(a1, grads, "x", 0.03, 1e-2);
        checkDirection(a1, grads, "ctx", 0.1, 2e-2);
    }

    @Test
    void resnetBlockGradientMatchesFiniteDifferences() {
        BlockBench.Block r1 = BlockBench.r1(8);
        assertArrayEquals(new long[]{1, 320, 8, 8}, r1.forward().shape());
        Map<String, INDArray> grads = r1.forwardBackward();
        checkLargestElements(r1, grads, "x", 2, 0.3, 5e-2);
        checkDirection(r1, grads, "x", 0.03, 2e-2);
    }

    @Test
    void transformerBlockGradientMatchesFiniteDifferences() {
        BlockBench.Block t1 = BlockBench.t1(8);
        Map<String, INDArray> grads = t1.forwardBackward();
        assertArrayEquals(new long[]{1, 77, 1024}, grads.get("grad:ctx").shape());
        // dL/dctx is small here (float32 noise ~2%); its path is the A1 one, checked above
        checkDirection(t1, grads, "x", 0.1, 1e-2);
    }

    @Test
    void unknownWorkloadIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockBench.build("X9", 8, 8));
        assertTrue(e.getMessage().contains("X9") && e.getMessage().contains("R1"), e.getMessage());
    }
}
