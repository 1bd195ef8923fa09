package dev.adi4j.diffusion.unet;

/** The settings shared by every block of one UNet level. */
record LevelSpec(int layers, int heads, int transformerLayers, long crossAttentionDim, int groups, double eps,
                 long tembChannels) {
}
