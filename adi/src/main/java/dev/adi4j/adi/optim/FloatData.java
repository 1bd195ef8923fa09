package dev.adi4j.adi.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk float32 access to an array's elements in C order. Optimizer arithmetic on many small tensors is cheaper
 * as one Java loop per tensor than as a dozen ND4J ops (each op call costs ~50-100 us of overhead, the
 * arithmetic on a few thousand floats a few microseconds).
 */
public final class FloatData {
    private FloatData() {
    }

    /** The elements of a float32 array in C order (a copy). */
    public static float[] read(INDArray a) {
        requireFloat(a);
        return (whole(a) ? a : a.dup('c')).data().asFloat();
    }

    /** Overwrites the elements of float32 array {@code a} (C order) with {@code values}. */
    public static void write(INDArray a, float[] values) {
        requireFloat(a);
        if (values.length != a.length()) {
            throw new IllegalArgumentException("expected " + a.length() + " values, got " + values.length);
        }
        if (whole(a)) a.data().setData(values);
        else a.assign(Nd4j.create(values, a.shape(), 'c'));
    }

    /** True when the array is its buffer, element for element in C order, so the buffer can be read or written directly. */
    private static boolean whole(INDArray a) {
        return a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length()
                && Shape.hasDefaultStridesForShape(a);
    }

    private static void requireFloat(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("expected a float32 array, got " + a.dataType());
        }
    }
}
