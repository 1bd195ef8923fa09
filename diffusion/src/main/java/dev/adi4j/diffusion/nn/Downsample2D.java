package dev.adi4j.diffusion.nn;

/**
 * diffusers {@code Downsample2D} with a convolution of stride 2 ({@code conv}). The UNet pads 1 on every side;
 * the VAE (padding 0) pads only bottom and right by one, as the reference does before its convolution.
 */
public final class Downsample2D {
    private final Scope scope;
    private final Conv2d conv;
    private final boolean asymmetricPad;

    public Downsample2D(Scope scope, long channels, int padding) {
        this.scope = scope;
        this.asymmetricPad = padding == 0;
        this.conv = new Conv2d(scope.child("conv"), channels, channels, 3, 2, padding);
    }

    public Tensor forward(Tensor x) {
        Tensor in = asymmetricPad ? scope.ops().pad2d(x, 0, 1, 0, 1) : x;
        return conv.forward(in);
    }
}
