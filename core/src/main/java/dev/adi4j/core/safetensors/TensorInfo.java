package dev.adi4j.core.safetensors;

import java.util.Arrays;

/**
 * What the header says about one tensor: its type, shape and byte range relative to the data section.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    /** Number of elements (1 for a scalar of shape []). */
    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public long byteLength() { return end - begin; }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype
                && Arrays.equals(t.shape, shape) && t.begin == begin && t.end == end;
    }

    @Override
    public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }
}
