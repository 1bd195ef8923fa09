package dev.adi4j.diffusion.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a weight stored in PyTorch layout is laid out inside our graphs. Re-laying out once at load time
 * keeps permutes out of every forward and backward pass (and SameDiff's conv2d backward only works with
 * YXIO weights, see docs/engine.md).
 */
public enum ParamLayout {
    /** Stored as is. */
    AS_IS,
    /** Linear weight [out, in] stored as [in, out] so that y = x W needs no transpose. */
    LINEAR_TRANSPOSED,
    /** Conv weight [out, in, kH, kW] (OIYX) stored as [kH, kW, in, out] (YXIO). */
    CONV_YXIO;

    /** Shape inside the graph for a reference (PyTorch) shape. */
    public long[] graphShape(long[] ref) {
        return switch (this) {
            case AS_IS -> ref.clone();
            case LINEAR_TRANSPOSED -> new long[]{ref[1], ref[0]};
            case CONV_YXIO -> new long[]{ref[2], ref[3], ref[1], ref[0]};
        };
    }

    /**
     * Re-lays out an array of the reference shape; returns a fresh c-order array. When a copy is made the input
     * is freed at once (ND4J frees off-heap memory only when the Java object is collected, and with a quiet heap
     * that can be never: loading SD 2.1 would otherwise hold every weight twice). Do not use {@code ref} after.
     */
    public INDArray toGraph(INDArray ref) {
        INDArray graph = switch (this) {
            case AS_IS -> ref;
            case LINEAR_TRANSPOSED -> ref.transpose().dup('c');
            case CONV_YXIO -> ref.permute(2, 3, 1, 0).dup('c');
        };
        if (graph != ref && ref.closeable()) ref.close();
        return graph;
    }

    /** Inverse of {@link #toGraph}: back to PyTorch layout (for saving trained weights). */
    public INDArray toReference(INDArray graph) {
        return switch (this) {
            case AS_IS -> graph;
            case LINEAR_TRANSPOSED -> graph.transpose().dup('c');
            case CONV_YXIO -> graph.permute(3, 2, 0, 1).dup('c');
        };
    }
}
