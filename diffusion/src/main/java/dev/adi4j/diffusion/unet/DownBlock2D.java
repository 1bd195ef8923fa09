package dev.adi4j.diffusion.unet;

import dev.adi4j.diffusion.nn.Downsample2D;
import dev.adi4j.diffusion.nn.ResnetBlock2D;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import dev.adi4j.diffusion.nn.Transformer2DModel;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code CrossAttnDownBlock2D} (with attentions) and {@code DownBlock2D} (without): resnets, each
 * followed by its Transformer2DModel when present, then an optional stride-2 downsampler. Every output is
 * kept for the skip connections.
 */
final class DownBlock2D {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();
    private final Downsample2D downsampler;

    DownBlock2D(Scope scope, long in, long out, LevelSpec level, boolean crossAttention, boolean addDownsample,
                int downsamplePadding) {
        for (int i = 0; i < level.layers(); i++) {
            resnets.add(new ResnetBlock2D(scope.child("resnets", i), i == 0 ? in : out, out, level.tembChannels(),
                    level.groups(), level.eps(), 1.0));
            if (crossAttention) {
                attentions.add(new Transformer2DModel(scope.child("attentions", i), out, level.heads(),
                        level.transformerLayers(), level.crossAttentionDim(), level.groups()));
            }
        }
        this.downsampler = addDownsample
                ? new Downsample2D(scope.child("downsamplers", 0), out, downsamplePadding) : null;
    }

    /** One stage per resnet (with its transformer), then the downsampler; every output is a skip connection. */
    List<UNetStage> stages(String name) {
        List<UNetStage> stages = new ArrayList<>();
        int contexts = attentions.isEmpty() ? 0 : 1;
        for (int i = 0; i < resnets.size(); i++) {
            ResnetBlock2D resnet = resnets.get(i);
            Transformer2DModel attention = attentions.isEmpty() ? null : attentions.get(i);
            stages.add(new UNetStage(name + ".layer" + i, UNetStage.SkipUse.PUSH, contexts, in -> {
                Tensor h = resnet.forward(in.hidden(), in.temb());
                return attention == null ? h : attention.forward(h, in.contexts().next());
            }));
        }
        if (downsampler != null) {
            stages.add(new UNetStage(name + ".downsamplers.0", UNetStage.SkipUse.PUSH, 0,
                    in -> downsampler.forward(in.hidden())));
        }
        return stages;
    }
}
