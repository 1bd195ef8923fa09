package dev.adi4j.diffusion.pipeline;

import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.diffusion.vae.AutoencoderKL;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Between images and the space the UNet denoises: SD's VAE, or for the mini world an exact space-to-depth
 * reshape ({@link SpaceToDepthCodec}), so the pipeline and the trainers need not know which.
 */
public interface ImageCodec extends AutoCloseable {
    /** Image side / latent side. */
    int downscaleFactor();

    /** Channels of the UNet-space tensor. */
    int latentChannels();

    /** Images [N, 3, H, W] in [-1, 1] to UNet-space latents (scaled, deterministic: the VAE's mean). */
    INDArray encode(INDArray images);

    /** UNet-space latents back to images [N, 3, H, W] in about [-1, 1]. */
    INDArray decode(INDArray latents);

    @Override
    default void close() {
    }

    /**
     * The codec of a model folder: {@value SpaceToDepthCodec#FILE} at its root names a fixed codec and the
     * folder needs no vae/; otherwise its VAE.
     */
    static ImageCodec load(ModelFolder folder) {
        if (SpaceToDepthCodec.isIn(folder.root())) return SpaceToDepthCodec.read(folder.root());
        return vae(AutoencoderKL.load(folder));
    }

    /** SD's VAE as a codec; closing the codec closes the VAE. */
    static ImageCodec vae(AutoencoderKL vae) {
        return new VaeCodec(vae);
    }
}
