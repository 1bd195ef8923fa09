package dev.adi4j.diffusion.unet;

/**
 * The shape and differentiation settings a UNet graph is built for; graphs are cached per spec.
 *
 * @param layerWise        one context input per cross-attention layer instead of one shared
 * @param trainableSample  the sample is a differentiable input
 * @param trainableContext the context(s) are differentiable inputs
 * @param withLoss         adds a {@code target} input and {@code loss} = mean((output - target)^2)
 */
public record UNetGraphSpec(long batch, long height, long width, long seqLen, boolean layerWise,
                            boolean trainableSample, boolean trainableContext, boolean withLoss) {
}
