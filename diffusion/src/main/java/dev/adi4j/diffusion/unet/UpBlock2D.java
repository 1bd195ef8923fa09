package dev.adi4j.diffusion.unet;

import dev.adi4j.diffusion.nn.Ops;
import dev.adi4j.diffusion.nn.ResnetBlock2D;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import dev.adi4j.diffusion.nn.Transformer2DModel;
import dev.adi4j.diffusion.nn.Upsample2D;

import java.util.ArrayList;
import java.util.Deque;
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

    int numResnets() { return resnets.size(); }

    /**
     * @param skips      the skip stack; this block pops {@link #numResnets()} entries from its end
     * @param upsampleTo target (h, w) of the upsampler, or null to double
     */
    Tensor forward(Tensor h, Deque<Tensor> skips, Tensor temb, Contexts contexts, long[] upsampleTo) {
        Ops ops = scope.ops();
        for (int i = 0; i < resnets.size(); i++) {
            h = resnets.get(i).forward(ops.concat(1, h, skips.removeLast()), temb);
            if (!attentions.isEmpty()) h = attentions.get(i).forward(h, contexts.next());
        }
        if (upsampler != null) {
            h = upsampleTo == null ? upsampler.forward(h) : upsampler.forward(h, upsampleTo[0], upsampleTo[1]);
        }
        return h;
    }
}
