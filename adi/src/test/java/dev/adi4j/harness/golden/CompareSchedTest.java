package dev.adi4j.harness.golden;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cases.json pass rule. */
class CompareSchedTest {
    @Test
    void passesExactlyAtTheToleranceTimesMaxExpected() {
        // powers of two keep every quantity exact: |diff| = 2^-12, max|expected| = 4, tol = 2^-14
        double tol = Math.scalb(1.0, -14);
        float d = (float) Math.scalb(1.0, -12);
        var expected = Nd4j.createFromArray(new float[] {2f, -4f, 1f});
        CaseResult ok = Compare.compare("c", "o", Nd4j.createFromArray(new float[] {2f, -4f - d, 1f}),
                expected, tol);
        assertTrue(ok.pass(), ok.toString());
        assertEquals(d, ok.maxAbs(), 0.0);
        assertEquals(tol, ok.maxRel(), 0.0);
        CaseResult bad = Compare.compare("c", "o", Nd4j.createFromArray(new float[] {2f, -4f - 2 * d, 1f}),
                expected, tol);
        assertFalse(bad.pass(), bad.toString());
        assertTrue(bad.toString().startsWith("FAIL c o"), bad.toString());
    }

    @Test
    void smallExpectedValuesUseTheFloor() {
        var expected = Nd4j.createFromArray(new float[] {0f, 0f});
        assertTrue(Compare.compare("c", "o", Nd4j.createFromArray(new float[] {0f, 9e-8f}), expected, 1e-4)
                .pass());
        assertFalse(Compare.compare("c", "o", Nd4j.createFromArray(new float[] {0f, 2e-7f}), expected, 1e-4)
                .pass());
    }

    @Test
    void shapeMismatchAndNaNFailWithAMessage() {
        CaseResult shape = Compare.compare("c", "o", Nd4j.zeros(2, 3), Nd4j.zeros(3, 2), 1e-4);
        assertFalse(shape.pass());
        assertTrue(shape.message().contains("shape mismatch: expected [3, 2], got [2, 3]"), shape.message());
        CaseResult nan = Compare.compare("c", "o", Nd4j.createFromArray(new float[] {1f, Float.NaN}),
                Nd4j.createFromArray(new float[] {1f, 1f}), 1e-4);
        assertFalse(nan.pass());
        assertTrue(nan.message().contains("non-finite"), nan.message());
    }
}
