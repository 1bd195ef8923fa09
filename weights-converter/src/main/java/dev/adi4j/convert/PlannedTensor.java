package dev.adi4j.convert;

import dev.adi4j.core.model.Component;

import java.util.Arrays;

/**
 * One tensor of the output: where it goes, its shape, and where it comes from ({@code source} = key in the
 * input file and {@code transform}; {@code source} is the key in the input file).
 */
public record PlannedTensor(Component component, String target, long[] shape, String source, Transform transform) {
    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override
    public String toString() {
        return component.folder() + "/" + target + Arrays.toString(shape) + " <- "
                + source + (transform == Transform.COPY ? "" : " " + transform);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedTensor p && p.component == component && p.target.equals(target)
                && Arrays.equals(p.shape, shape) && java.util.Objects.equals(p.source, source) && p.transform == transform;
    }

    @Override
    public int hashCode() { return target.hashCode(); }
}
