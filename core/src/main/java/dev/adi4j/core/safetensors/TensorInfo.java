package dev.adi4j.core.safetensors;

import java.util.Arrays;

/**
 * What the header says about one tensor: its type, shape and byte range relative to the data section.
 * The shape is copied in and out, so an instance cannot be changed after construction.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    public TensorInfo {
        shape = shape.clone();
    }

    /** A copy of the shape ({@code []} for a scalar). */
    @Override
    public long[] shape() { return shape.clone(); }

    /** Number of dimensions. */
    public int rank() { return shape.length; }

    /** Number of elements (1 for a scalar of shape []). */
    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Size of the tensor's data in bytes. */
    public long byteLength() { return end - begin; }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype
                && Arrays.equals(t.shape, shape) && t.begin == begin && t.end == end;
    }

    @Override
    public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }
}
