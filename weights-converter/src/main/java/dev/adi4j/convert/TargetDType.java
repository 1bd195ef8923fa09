package dev.adi4j.convert;

import dev.adi4j.core.safetensors.DType;

/** {@code --dtype}: the float type of the written weights (integer buffers keep theirs). */
public enum TargetDType {
    FP32(DType.F32), FP16(DType.F16), BF16(DType.BF16);

    private final DType dtype;

    TargetDType(DType dtype) { this.dtype = dtype; }

    public DType dtype() { return dtype; }

    /**
     * The stored type for a source tensor: {@code target} when given, else the source's F16/BF16/F32 (other
     * types become F32).
     */
    public static DType resolve(TargetDType target, DType source) {
        if (target != null) return target.dtype;
        return source == DType.F16 || source == DType.BF16 ? source : DType.F32;
    }
}
