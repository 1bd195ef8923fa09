package dev.adi4j.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/** Element conversions between the stored dtypes and float32, without whole-tensor intermediate copies. */
final class DTypeConversion {
    private DTypeConversion() {
    }

    static void toFloat(DType dtype, ByteBuffer src, FloatBuffer dst, long n) {
        switch (dtype) {
            case F32 -> dst.put(src.asFloatBuffer());
            case F16 -> { for (long i = 0; i < n; i++) dst.put(halfToFloat(src.getShort())); }
            case BF16 -> { for (long i = 0; i < n; i++) dst.put(Float.intBitsToFloat((src.getShort() & 0xffff) << 16)); }
            case F64 -> { for (long i = 0; i < n; i++) dst.put((float) src.getDouble()); }
            case I64 -> { for (long i = 0; i < n; i++) dst.put((float) src.getLong()); }
            case I32 -> { for (long i = 0; i < n; i++) dst.put((float) src.getInt()); }
            case I16 -> { for (long i = 0; i < n; i++) dst.put((float) src.getShort()); }
            case I8 -> { for (long i = 0; i < n; i++) dst.put((float) src.get()); }
            case U8 -> { for (long i = 0; i < n; i++) dst.put((float) (src.get() & 0xff)); }
            case BOOL -> { for (long i = 0; i < n; i++) dst.put(src.get() != 0 ? 1f : 0f); }
        }
    }

    /** IEEE 754 binary16 to binary32, including subnormals, infinities and NaN. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        if (exp == 0) {
            if (mant == 0) return Float.intBitsToFloat(sign);
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** binary32 to binary16 with round-to-nearest-even. */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        int e = exp - 127 + 15;
        if (e >= 0x1f) return (short) (sign | 0x7c00);
        if (e <= 0) {
            if (e < -10) return (short) sign;
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) half++;
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) half++;
        return (short) (sign | half);
    }

    /** binary32 to bfloat16 with round-to-nearest-even (NaN stays NaN). */
    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
