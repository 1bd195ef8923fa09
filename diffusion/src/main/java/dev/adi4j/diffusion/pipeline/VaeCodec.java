package dev.adi4j.diffusion.pipeline;

import dev.adi4j.diffusion.vae.AutoencoderKL;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link AutoencoderKL} as an {@link ImageCodec}: latents are scaled by the VAE's scaling factor. */
record VaeCodec(AutoencoderKL vae) implements ImageCodec {
    @Override
    public int downscaleFactor() { return vae.downscaleFactor(); }

    @Override
    public int latentChannels() { return vae.config().latentChannels(); }

    @Override
    public INDArray encode(INDArray images) { return vae.scaleLatent(vae.encode(images).mean()); }

    @Override
    public INDArray decode(INDArray latents) { return vae.decode(vae.unscaleLatent(latents)); }

    @Override
    public void close() { vae.close(); }
}
