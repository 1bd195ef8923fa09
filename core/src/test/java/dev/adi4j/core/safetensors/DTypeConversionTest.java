package dev.adi4j.core.safetensors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exhaustive checks of the 16-bit conversions over all 65536 bit patterns. The binary16 reference decoder
 * below is written from the IEEE 754 definition with double arithmetic, independently of the code under test;
 * rounding is checked at every midpoint between neighbouring representable values (ties to even) and one
 * float ulp on either side of it.
 */
class DTypeConversionTest {

    /** IEEE 754 binary16 value from its definition. */
    private static double refHalf(int h) {
        int sign = (h & 0x8000) != 0 ? -1 : 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) return mant == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        if (exp == 0) return sign * Math.scalb((double) mant, -24);
        return sign * Math.scalb(1.0 + mant / 1024.0, exp - 15);
    }

    @Test
    void halfToFloatMatchesReferenceForAll65536Values() {
        for (int h = 0; h < 0x10000; h++) {
            double ref = refHalf(h);
            float got = DTypeConversion.halfToFloat((short) h);
            if (Double.isNaN(ref)) {
                assertTrue(Float.isNaN(got), "NaN pattern " + Integer.toHexString(h));
            } else {
                assertEquals(Double.doubleToRawLongBits(ref), Double.doubleToRawLongBits(got),
                        "half 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void halfRoundTripsBitExactForAll65536Values() {
        for (int h = 0; h < 0x10000; h++) {
            short back = DTypeConversion.floatToHalf(DTypeConversion.halfToFloat((short) h));
            assertEquals(h, back & 0xffff, "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void floatToHalfRoundsToNearestEvenAtEveryMidpoint() {
        for (int sign = 0; sign <= 0x8000; sign += 0x8000) {
            for (int m = 0; m < 0x7bff; m++) { // every finite pair; 65504 -> inf is in halfSpecialValues
                int lo = sign | m;
                int hi = sign | (m + 1);
                float flo = DTypeConversion.halfToFloat((short) lo);
                float fhi = DTypeConversion.halfToFloat((short) hi);
                float mid = (float) ((refHalf(lo) + refHalf(hi)) / 2); // exact: 12 significant bits
                int even = (lo & 1) == 0 ? lo : hi;
                assertEquals(even, DTypeConversion.floatToHalf(mid) & 0xffff, "midpoint " + mid);
                float towardLo = Math.nextAfter(mid, flo);
                float towardHi = Math.nextAfter(mid, fhi);
                assertEquals(lo, DTypeConversion.floatToHalf(towardLo) & 0xffff, "just below midpoint " + mid);
                assertEquals(hi, DTypeConversion.floatToHalf(towardHi) & 0xffff, "just above midpoint " + mid);
            }
        }
    }

    @Test
    void halfSpecialValues() {
        assertEquals(0x7c00, DTypeConversion.floatToHalf(65520f) & 0xffff, "65520 rounds up to infinity");
        assertEquals(0x7bff, DTypeConversion.floatToHalf(Math.nextDown(65520f)) & 0xffff);
        assertEquals(0x7c00, DTypeConversion.floatToHalf(Float.MAX_VALUE) & 0xffff);
        assertEquals(0xfc00, DTypeConversion.floatToHalf(Float.NEGATIVE_INFINITY) & 0xffff);
        assertEquals(0x0000, DTypeConversion.floatToHalf(Float.MIN_VALUE) & 0xffff);
        assertEquals(0x8000, DTypeConversion.floatToHalf(-0f) & 0xffff);
        assertEquals(0x0001, DTypeConversion.floatToHalf(0x1p-24f) & 0xffff);
        assertEquals(0x0000, DTypeConversion.floatToHalf(0x1p-25f) & 0xffff, "tie to even (zero)");
        assertEquals(0x0001, DTypeConversion.floatToHalf(Math.nextUp(0x1p-25f)) & 0xffff);
        assertTrue(Float.isNaN(DTypeConversion.halfToFloat(DTypeConversion.floatToHalf(Float.NaN))));
        assertTrue(Float.isNaN(DTypeConversion.halfToFloat(
                DTypeConversion.floatToHalf(Float.intBitsToFloat(0x7f800001)))), "low-payload NaN stays NaN");
    }

    @Test
    void bf16RoundTripsForAll65536Values() {
        for (int b = 0; b < 0x10000; b++) {
            float f = DTypeConversion.bf16ToFloat((short) b);
            assertEquals(Float.intBitsToFloat(b << 16), f, 0f);
            int back = DTypeConversion.floatToBf16(f) & 0xffff;
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(DTypeConversion.bf16ToFloat((short) back)));
            } else {
                assertEquals(b, back, "bf16 0x" + Integer.toHexString(b));
            }
        }
    }

    @Test
    void floatToBf16RoundsToNearestEvenAtEveryMidpoint() {
        for (int sign = 0; sign <= 0x8000; sign += 0x8000) {
            for (int m = 0; m < 0x7f80; m++) { // up to (MAX, inf): the midpoint there is finite
                int lo = sign | m;
                int hi = sign | (m + 1);
                float mid = Float.intBitsToFloat((lo << 16) | 0x8000); // exactly halfway
                int even = (lo & 1) == 0 ? lo : hi;
                assertEquals(even, DTypeConversion.floatToBf16(mid) & 0xffff, "midpoint " + mid);
                assertEquals(lo, DTypeConversion.floatToBf16(Float.intBitsToFloat((lo << 16) | 0x7fff)) & 0xffff);
                assertEquals(hi, DTypeConversion.floatToBf16(Float.intBitsToFloat((lo << 16) | 0x8001)) & 0xffff);
            }
        }
        assertEquals(0x7f80, DTypeConversion.floatToBf16(Float.MAX_VALUE) & 0xffff, "overflow to infinity");
    }
}
