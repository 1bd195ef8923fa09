package dev.adi4j.diffusion.unet;

import dev.adi4j.diffusion.nn.ResnetBlock2D;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import dev.adi4j.diffusion.nn.Transformer2DModel;

import java.util.ArrayList;
import java.util.List;

/** diffusers {@code UNetMidBlock2DCrossAttn}: resnets.0, then (attentions.i, resnets.i+1) pairs. */
final class UNetMidBlock2DCrossAttn {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();

    UNetMidBlock2DCrossAttn(Scope scope, long channels, LevelSpec level, double outputScaleFactor) {
        int layers = 1;
        resnets.add(new ResnetBlock2D(scope.child("resnets", 0), channels, channels, level.tembChannels(),
                level.groups(), level.eps(), outputScaleFactor));
        for (int i = 0; i < layers; i++) {
            attentions.add(new Transformer2DModel(scope.child("attentions", i), channels, level.heads(),
                    level.transformerLayers(), level.crossAttentionDim(), level.groups()));
            resnets.add(new ResnetBlock2D(scope.child("resnets", i + 1), channels, channels, level.tembChannels(),
                    level.groups(), level.eps(), outputScaleFactor));
        }
    }

    /** The whole mid block is one stage: it runs at the lowest resolution, where activations are small. */
    UNetStage stage(String name) {
        return new UNetStage(name, UNetStage.SkipUse.NONE, attentions.size(), in -> {
            Tensor h = resnets.get(0).forward(in.hidden(), in.temb());
            for (int i = 0; i < attentions.size(); i++) {
                h = attentions.get(i).forward(h, in.contexts().next());
                h = resnets.get(i + 1).forward(h, in.temb());
            }
            return h;
        });
    }
}
