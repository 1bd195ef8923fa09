package dev.adi4j.testsupport;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden pass rule for tests below the harness: max|actual - expected| <= tol * max(max|expected|, 1e-3), shapes
 * equal, no NaN or infinity. (The harness reports the same rule per output for `adi golden`.)
 */
public final class TensorAssert {
    private TensorAssert() {
    }

    /** Fails with the maximum absolute and relative error when {@code actual} is not within {@code tol}. */
    public static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(actual.shape()));
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double maxAbs = 0;
        double maxExpected = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            assertTrue(Double.isFinite(d), what + ": non-finite value at flat index " + i + ": " + a[i]);
            maxAbs = Math.max(maxAbs, d);
            maxExpected = Math.max(maxExpected, Math.abs(e[i]));
        }
        double scale = Math.max(maxExpected, 1e-3);
        String line = String.format(java.util.Locale.ROOT, "%s: max_abs=%.3e max_rel=%.3e tol=%.1e", what, maxAbs,
                maxAbs / scale, tol);
        System.out.println(line);
        assertTrue(maxAbs <= tol * scale, line);
    }
}
