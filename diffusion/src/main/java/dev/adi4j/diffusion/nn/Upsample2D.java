package dev.adi4j.diffusion.nn;

/** diffusers {@code Upsample2D}: nearest-neighbour resize (x2, or to an explicit size) then a 3x3 {@code conv}. */
public final class Upsample2D {
    private final Scope scope;
    private final Conv2d conv;

    public Upsample2D(Scope scope, long channels) {
        this.scope = scope;
        this.conv = new Conv2d(scope.child("conv"), channels, channels, 3, 1, 1);
    }

    /** Doubles the spatial size. */
    public Tensor forward(Tensor x) {
        return forward(x, x.dim(2) * 2, x.dim(3) * 2);
    }

    /** Resizes to (h, w), as the UNet does when the skip connection of an odd-sized level demands it. */
    public Tensor forward(Tensor x, long h, long w) {
        return conv.forward(scope.ops().upsampleNearest(x, h, w));
    }
}
