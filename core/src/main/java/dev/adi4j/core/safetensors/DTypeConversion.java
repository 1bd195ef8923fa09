package dev.adi4j.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Element conversions between the stored dtypes and float32/long, working buffer to buffer so that no
 * whole-tensor intermediate copy is made. Source buffers must be little-endian.
 */
final class DTypeConversion {
    private DTypeConversion() {
    }

    /** Decodes {@code n} elements of {@code dtype} from {@code src} into {@code dst}. */
    static void toFloat(DType dtype, ByteBuffer src, FloatBuffer dst, long n) {
        switch (dtype) {
            case F32 -> dst.put(src.asFloatBuffer().limit((int) n));
            case F16 -> { for (long i = 0; i < n; i++) dst.put(halfToFloat(src.getShort())); }
            case BF16 -> { for (long i = 0; i < n; i++) dst.put(bf16ToFloat(src.getShort())); }
            case F64 -> { for (long i = 0; i < n; i++) dst.put((float) src.getDouble()); }
            case I64 -> { for (long i = 0; i < n; i++) dst.put((float) src.getLong()); }
            case I32 -> { for (long i = 0; i < n; i++) dst.put((float) src.getInt()); }
            case I16 -> { for (long i = 0; i < n; i++) dst.put((float) src.getShort()); }
            case I8 -> { for (long i = 0; i < n; i++) dst.put((float) src.get()); }
            case U8 -> { for (long i = 0; i < n; i++) dst.put((float) (src.get() & 0xff)); }
            case BOOL -> { for (long i = 0; i < n; i++) dst.put(src.get() != 0 ? 1f : 0f); }
        }
    }

    /**
     * Decodes all of {@code dst.length} elements as exact integers. Floating-point elements must hold
     * integral values (golden files store ids as float32); returns the index of the first element that
     * is not an integer in long range, or -1 when all converted.
     */
    static int toLong(DType dtype, ByteBuffer src, long[] dst) {
        for (int i = 0; i < dst.length; i++) {
            switch (dtype) {
                case I64 -> dst[i] = src.getLong();
                case I32 -> dst[i] = src.getInt();
                case I16 -> dst[i] = src.getShort();
                case I8 -> dst[i] = src.get();
                case U8 -> dst[i] = src.get() & 0xff;
                case BOOL -> dst[i] = src.get() != 0 ? 1 : 0;
                default -> {
                    double d = switch (dtype) {
                        case F64 -> src.getDouble();
                        case F32 -> src.getFloat();
                        case F16 -> halfToFloat(src.getShort());
                        default -> bf16ToFloat(src.getShort());
                    };
                    // 2^63 is exactly representable; anything at or above it is out of long range.
                    if (d != Math.rint(d) || d >= 0x1p63 || d < -0x1p63) return i;
                    dst[i] = (long) d;
                }
            }
        }
        return -1;
    }

    /**
     * Encodes floats from {@code src} into {@code dst} as {@code dtype} (F32, F16 or BF16) until either
     * runs out of room; {@code dst} must be little-endian.
     */
    static void encode(DType dtype, FloatBuffer src, ByteBuffer dst) {
        switch (dtype) {
            case F32 -> {
                int n = Math.min(src.remaining(), dst.remaining() / 4);
                FloatBuffer out = dst.asFloatBuffer();
                int lim = src.limit();
                out.put(src.limit(src.position() + n));
                src.limit(lim);
                dst.position(dst.position() + 4 * n);
            }
            case F16 -> { while (src.hasRemaining() && dst.remaining() >= 2) dst.putShort(floatToHalf(src.get())); }
            case BF16 -> { while (src.hasRemaining() && dst.remaining() >= 2) dst.putShort(floatToBf16(src.get())); }
            default -> throw new IllegalArgumentException("cannot write dtype " + dtype);
        }
    }

    /** IEEE 754 binary16 to binary32, exact, including subnormals, infinities and NaN payloads. */
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

    /** bfloat16 (the upper half of a binary32) to binary32, exact. */
    static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    /**
     * binary32 to binary16 with round-to-nearest-even; overflow gives infinity. NaN stays NaN and keeps
     * the top 10 payload bits, so every binary16 value survives halfToFloat and back bit for bit.
     */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            if (mant == 0) return (short) (sign | 0x7c00);
            int payload = mant >>> 13;
            return (short) (sign | 0x7c00 | (payload != 0 ? payload : 0x200));
        }
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
        // A carry out of the mantissa correctly bumps the exponent (up to infinity).
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) half++;
        return (short) (sign | half);
    }

    /** binary32 to bfloat16 with round-to-nearest-even (NaN stays a quiet NaN). */
    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
