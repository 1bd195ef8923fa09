package dev.adi4j.core.safetensors;

/** The element types of the safetensors format that adi4j understands. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    /** Size of one element in bytes. */
    public int bytes() { return bytes; }

    /** True for F64, F32, F16 and BF16. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
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
