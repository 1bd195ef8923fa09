package dev.adi4j.core.safetensors;

/**
 * The element types of the safetensors format. All are valid in a file; U16, U32 and U64 load only as
 * integers ({@link #loadsAsFloat()} is false), the F8 types (OCP E4M3FN, E5M2) widen to float32.
 */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), F8_E4M3(1), F8_E5M2(1),
    I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    /** Size of one element in bytes. */
    public int bytes() { return bytes; }

    /** True for F64, F32, F16, BF16 and the two F8 types. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16 || this == F8_E4M3 || this == F8_E5M2;
    }

    /**
     * True when {@link SafetensorsReader#loadFloat(String)} reads the type. The wide unsigned types are
     * refused there: no network weight is stored that way, and U32/U64 do not fit float32 exactly.
     */
    public boolean loadsAsFloat() {
        return this != U16 && this != U32 && this != U64;
    }

    /** True for the types {@link SafetensorsWriter} can produce (F32, F16, BF16). */
    public boolean isWritable() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** Parses the header spelling ("F32", "BF16", ...); returns null for an unknown type. */
    public static DType parse(String s) {
        if (s == null) return null;
        for (DType d : values()) if (d.name().equals(s)) return d;
        return null;
    }
}
