package dev.adi4j.diffusion.nn;

import org.nd4j.autodiff.samediff.SDVariable;

import java.util.Arrays;

/**
 * A graph value with its static shape. SameDiff M2.1 does not infer shapes while a graph is being built,
 * and the op layer needs them (reshapes for attention heads and GroupNorm), so every value carries its own.
 */
public record Tensor(SDVariable var, long... shape) {
    public Tensor {
        shape = shape.clone();
    }

    public int rank() { return shape.length; }

    /** Size of dimension {@code i}; negative i counts from the end. */
    public long dim(int i) { return shape[i < 0 ? shape.length + i : i]; }

    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Same variable viewed with a new static shape (the caller guarantees they agree). */
    Tensor withShape(long... newShape) { return new Tensor(var, newShape); }

    /** Another variable of the same shape (the result of an elementwise op). */
    Tensor withVar(SDVariable v) { return new Tensor(v, shape); }

    @Override
    public long[] shape() { return shape.clone(); }

    @Override
    public String toString() { return var.name() + Arrays.toString(shape); }

    @Override
    public boolean equals(Object o) { return o instanceof Tensor t && t.var == var && Arrays.equals(t.shape, shape); }

    @Override
    public int hashCode() { return var.hashCode(); }
}
