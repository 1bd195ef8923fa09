package dev.adi4j.diffusion.vae;

import dev.adi4j.diffusion.nn.Downsample2D;
import dev.adi4j.diffusion.nn.ResnetBlock2D;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code DownEncoderBlock2D}: {@code resnets.0..n-1} without time embedding, then (except in the
 * last block) {@code downsamplers.0}, a stride-2 convolution after the VAE's bottom/right zero padding.
 */
final class DownEncoderBlock2D {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final Downsample2D downsampler;

    DownEncoderBlock2D(Scope scope, long in, long out, int layers, int groups, double eps, boolean addDownsample) {
        for (int i = 0; i < layers; i++) {
            resnets.add(new ResnetBlock2D(scope.child("resnets", i), i == 0 ? in : out, out, 0, groups, eps, 1.0));
        }
        // padding 0 selects Downsample2D's asymmetric (0,1,0,1) pad, as diffusers' downsample_padding=0
        this.downsampler = addDownsample ? new Downsample2D(scope.child("downsamplers", 0), out, 0) : null;
    }

    Tensor forward(Tensor x) {
        Tensor h = x;
        for (ResnetBlock2D r : resnets) h = r.forward(h, null);
        return downsampler == null ? h : downsampler.forward(h);
    }
}
