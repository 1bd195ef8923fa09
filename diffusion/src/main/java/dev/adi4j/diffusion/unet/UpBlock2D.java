package dev.adi4j.diffusion.unet;

import dev.adi4j.diffusion.nn.Ops;
import dev.adi4j.diffusion.nn.ResnetBlock2D;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import dev.adi4j.diffusion.nn.Transformer2DModel;
import dev.adi4j.diffusion.nn.Upsample2D;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code CrossAttnUpBlock2D} / {@code UpBlock2D}: each resnet takes the running state concatenated
 * (on channels) with the most recent unused skip connection, then its Transformer2DModel when present; an
 * optional upsampler resizes to the next skip connection's size.
 */
final class UpBlock2D {
    private final Scope scope;
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();
    private final Upsample2D upsampler;

    UpBlock2D(Scope scope, long in, long out, long prevOut, LevelSpec level, boolean crossAttention,
              boolean addUpsample) {
        this.scope = scope;
        for (int i = 0; i < level.layers(); i++) {
            long skipChannels = i == level.layers() - 1 ? in : out;
            long resnetIn = i == 0 ? prevOut : out;
            resnets.add(new ResnetBlock2D(scope.child("resnets", i), resnetIn + skipChannels, out,
                    level.tembChannels(), level.groups(), level.eps(), 1.0));
            if (crossAttention) {
                attentions.add(new Transformer2DModel(scope.child("attentions", i), out, level.heads(),
                        level.transformerLayers(), level.crossAttentionDim(), level.groups()));
            }
        }
        this.upsampler = addUpsample ? new Upsample2D(scope.child("upsamplers", 0), out) : null;
    }

    /** One stage per resnet (on the state concatenated with a popped skip connection, with its transformer), then the upsampler. */
    List<UNetStage> stages(String name) {
        Ops ops = scope.ops();
        List<UNetStage> stages = new ArrayList<>();
        int contexts = attentions.isEmpty() ? 0 : 1;
        for (int i = 0; i < resnets.size(); i++) {
            ResnetBlock2D resnet = resnets.get(i);
            Transformer2DModel attention = attentions.isEmpty() ? null : attentions.get(i);
            stages.add(new UNetStage(name + ".layer" + i, UNetStage.SkipUse.POP, contexts, in -> {
                Tensor h = resnet.forward(ops.concat(1, in.hidden(), in.skip()), in.temb());
                return attention == null ? h : attention.forward(h, in.contexts().next());
            }));
        }
        if (upsampler != null) {
            stages.add(new UNetStage(name + ".upsamplers.0", UNetStage.SkipUse.PEEK, 0, in -> in.resizeTo() == null
                    ? upsampler.forward(in.hidden())
                    : upsampler.forward(in.hidden(), in.resizeTo()[0], in.resizeTo()[1])));
        }
        return stages;
    }
}
