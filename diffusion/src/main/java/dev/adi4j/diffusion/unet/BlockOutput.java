package dev.adi4j.diffusion.unet;

import dev.adi4j.diffusion.nn.Tensor;

import java.util.List;

/** What a down block returns: its output and the states it contributes to the skip connections. */
record BlockOutput(Tensor hidden, List<Tensor> skips) {
}
