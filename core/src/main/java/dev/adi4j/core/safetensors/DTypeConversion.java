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
            case F8_E4M3 -> { for (long i = 0; i < n; i++) dst.put(e4m3ToFloat(src.get())); }
            case F8_E5M2 -> { for (long i = 0; i < n; i++) dst.put(e5m2ToFloat(src.get())); }
            case F64 -> { for (long i = 0; i < n; i++) dst.put((float) src.getDouble()); }
            case I64 -> { for (long i = 0; i < n; i++) dst.put((float) src.getLong()); }
            case I32 -> { for (long i = 0; i < n; i++) dst.put((float) src.getInt()); }
            case I16 -> { for (long i = 0; i < n; i++) dst.put((float) src.getShort()); }
            case I8 -> { for (long i = 0; i < n; i++) dst.put((float) src.get()); }
            case U8 -> { for (long i = 0; i < n; i++) dst.put((float) (src.get() & 0xff)); }
            case BOOL -> { for (long i = 0; i < n; i++) dst.put(src.get() != 0 ? 1f : 0f); }
            case U16, U32, U64 -> throw new IllegalArgumentException(dtype + " does not load as float32");
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
                case U16 -> dst[i] = src.getShort() & 0xffff;
                case U32 -> dst[i] = src.getInt() & 0xffffffffL;
                case U64 -> {
                    long v = src.getLong();
                    if (v < 0) return i; // above 2^63 - 1
                    dst[i] = v;
                }
                case BOOL -> dst[i] = src.get() != 0 ? 1 : 0;
                default -> {
                    double d = switch (dtype) {
                        case F64 -> src.getDouble();
                        case F32 -> src.getFloat();
                        case F16 -> halfToFloat(src.getShort());
                        case F8_E4M3 -> e4m3ToFloat(src.get());
                        case F8_E5M2 -> e5m2ToFloat(src.get());
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

    /** OCP FP8 E4M3FN (torch.float8_e4m3fn) to binary32, exact: bias 7, no infinities, S.1111.111 is NaN. */
    static float e4m3ToFloat(byte b) {
        int bits = b & 0xff;
        boolean negative = (bits & 0x80) != 0;
        int exp = (bits >>> 3) & 0xf;
        int mant = bits & 0x7;
        float v;
        if (exp == 0xf && mant == 0x7) v = Float.NaN;
        else if (exp == 0) v = mant * 0x1p-9f;
        else v = Math.scalb(1f + mant / 8f, exp - 7);
        return negative ? -v : v;
    }

    /** OCP FP8 E5M2 (torch.float8_e5m2) to binary32, exact: the upper byte of a binary16. */
    static float e5m2ToFloat(byte b) {
        return halfToFloat((short) ((b & 0xff) << 8));
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
