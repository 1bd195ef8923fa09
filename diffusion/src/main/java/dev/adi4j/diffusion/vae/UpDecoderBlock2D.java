package dev.adi4j.diffusion.vae;

import dev.adi4j.diffusion.nn.ResnetBlock2D;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import dev.adi4j.diffusion.nn.Upsample2D;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code UpDecoderBlock2D}: {@code resnets.0..n-1} without time embedding, then (except in the last
 * block) {@code upsamplers.0}, nearest x2 followed by a 3x3 convolution.
 */
final class UpDecoderBlock2D {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final Upsample2D upsampler;

    UpDecoderBlock2D(Scope scope, long in, long out, int layers, int groups, double eps, boolean addUpsample) {
        for (int i = 0; i < layers; i++) {
            resnets.add(new ResnetBlock2D(scope.child("resnets", i), i == 0 ? in : out, out, 0, groups, eps, 1.0));
        }
        this.upsampler = addUpsample ? new Upsample2D(scope.child("upsamplers", 0), out) : null;
    }

    Tensor forward(Tensor x) {
        Tensor h = x;
        for (ResnetBlock2D r : resnets) h = r.forward(h, null);
        return upsampler == null ? h : upsampler.forward(h);
    }
}
