package dev.adi4j.diffusion.nn;

/** One network parameter as the reference implementation names and shapes it. */
public record ParamSpec(String name, long[] shape, ParamLayout layout) {
    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
