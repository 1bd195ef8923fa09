package dev.adi4j.diffusion.unet;

import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.diffusion.nn.Conv2d;
import dev.adi4j.diffusion.nn.GroupNorm;
import dev.adi4j.diffusion.nn.Ops;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.Tensor;
import dev.adi4j.diffusion.nn.TimestepEmbedding;
import dev.adi4j.diffusion.nn.Timesteps;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code UNet2DConditionModel} as a graph builder: constructing it declares every parameter under its
 * reference name (conv_in, time_embedding, down_blocks, mid_block, up_blocks, conv_norm_out, conv_out);
 * {@link #forward} adds the forward pass to the graph.
 */
public final class UNet2DConditionModel {
    private final Scope scope;
    private final UNetConfig config;
    private final Timesteps timeProj;
    private final TimestepEmbedding timeEmbedding;
    private final Conv2d convIn;
    private final List<DownBlock2D> downBlocks = new ArrayList<>();
    private final UNetMidBlock2DCrossAttn midBlock;
    private final List<UpBlock2D> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;
    private final List<UNetStage> stages;

    public UNet2DConditionModel(Scope scope, UNetConfig config) {
        UNetSupport.check(config);
        this.scope = scope;
        this.config = config;
        List<Integer> channels = config.blockOutChannels();
        List<Integer> heads = config.headsPerLevel();
        List<Integer> tLayers = config.transformerLayersPerLevel();
        int levels = channels.size();
        long c0 = channels.get(0);
        long temb = config.timeEmbedDim();
        int groups = config.normNumGroups();
        double eps = config.normEps();
        long crossDim = config.crossAttentionDim();

        this.timeProj = new Timesteps(scope.child("time_proj"), (int) c0, config.flipSinToCos(), config.freqShift());
        this.timeEmbedding = new TimestepEmbedding(scope.child("time_embedding"), c0, temb);
        this.convIn = new Conv2d(scope.child("conv_in"), config.inChannels(), c0, 3, 1, 1);

        long out = c0;
        for (int i = 0; i < levels; i++) {
            long in = out;
            out = channels.get(i);
            LevelSpec level = new LevelSpec(config.layersPerBlock(), heads.get(i), tLayers.get(i), crossDim, groups, eps, temb);
            boolean cross = config.downBlockTypes().get(i).equals("CrossAttnDownBlock2D");
            downBlocks.add(new DownBlock2D(scope.child("down_blocks", i), in, out, level, cross, i < levels - 1,
                    config.downsamplePadding()));
        }

        long last = channels.get(levels - 1);
        LevelSpec mid = new LevelSpec(1, heads.get(levels - 1), tLayers.get(levels - 1), crossDim, groups, eps, temb);
        this.midBlock = new UNetMidBlock2DCrossAttn(scope.child("mid_block"), last, mid, config.midBlockScaleFactor());

        long prevOut;
        long outCh = last;
        for (int i = 0; i < levels; i++) {
            int rev = levels - 1 - i;
            prevOut = outCh;
            outCh = channels.get(rev);
            long in = channels.get(Math.max(rev - 1, 0));
            LevelSpec level = new LevelSpec(config.layersPerBlock() + 1, heads.get(rev), tLayers.get(rev), crossDim,
                    groups, eps, temb);
            boolean cross = config.upBlockTypes().get(i).equals("CrossAttnUpBlock2D");
            upBlocks.add(new UpBlock2D(scope.child("up_blocks", i), in, outCh, prevOut, level, cross, i < levels - 1));
        }
        this.convNormOut = new GroupNorm(scope.child("conv_norm_out"), groups, c0, eps);
        this.convOut = new Conv2d(scope.child("conv_out"), c0, config.outChannels(), 3, 1, 1);
        this.stages = buildStages();
    }

    public UNetConfig config() { return config; }

    /**
     * The smallest latent side this UNet is run at: each level but the deepest halves the latent, and at least 2 rows
     * and columns are kept above the deepest level. Measured on tiny-sd (4 levels): latents of 2x2 and 2x1 fail inside
     * SameDiff (a reduction over an empty array), 3x1 and larger work; the rule refuses a few small sizes that work.
     */
    public static int minimumLatentSide(UNetConfig config) {
        return Math.max(1, 1 << (config.blockOutChannels().size() - 2));
    }

    /** Number of cross-attention layers (Transformer2DModels), i.e. how many layer-wise contexts it takes. */
    public static int crossAttentionLayers(UNetConfig config) {
        int levels = config.blockOutChannels().size();
        int n = 1; // mid block
        for (int i = 0; i < levels; i++) {
            if (config.downBlockTypes().get(i).equals("CrossAttnDownBlock2D")) n += config.layersPerBlock();
            if (config.upBlockTypes().get(i).equals("CrossAttnUpBlock2D")) n += config.layersPerBlock() + 1;
        }
        return n;
    }

    /**
     * The forward pass: sample [B, C, H, W], timesteps [B] (float), contexts per cross-attention layer.
     * Latent sizes that are not multiples of 2^(levels-1) are handled as the reference does, by resizing each
     * upsampler's output to the size of the skip connection it meets.
     */
    public Tensor forward(Tensor sample, Tensor timesteps, Contexts contexts) {
        Tensor temb = timeEmbedding(timesteps);
        Tensor out = StageWalk.run(stages, sample, downsampling(), new StageWalk.Executor<>() {
            @Override
            public Tensor apply(int index, UNetStage stage, Tensor hidden, Tensor skip, long[] resizeTo, int first) {
                return stage.body().apply(new UNetStage.Input(hidden, skip, resizeTo, temb, contexts));
            }

            @Override
            public long[] shape(Tensor value) {
                return value.shape();
            }
        });
        contexts.checkAllUsed();
        return out;
    }

    /** The time embedding [B, time_embed_dim] of timesteps [B]. */
    Tensor timeEmbedding(Tensor timesteps) {
        return timeEmbedding.forward(timeProj.forward(timesteps));
    }

    /** The forward pass as checkpointable stages, in execution order. */
    List<UNetStage> stages() {
        return stages;
    }

    /** Total downsampling factor of the down path (2^(levels-1)). */
    long downsampling() {
        return 1L << (upBlocks.size() - 1);
    }

    private List<UNetStage> buildStages() {
        Ops ops = scope.ops();
        List<UNetStage> all = new ArrayList<>();
        all.add(new UNetStage("conv_in", UNetStage.SkipUse.PUSH, 0, in -> {
            Tensor x = in.hidden();
            return convIn.forward(config.centerInputSample() ? ops.addScalar(ops.scale(x, 2.0), -1.0) : x);
        }));
        for (int i = 0; i < downBlocks.size(); i++) all.addAll(downBlocks.get(i).stages("down_blocks." + i));
        all.add(midBlock.stage("mid_block"));
        for (int i = 0; i < upBlocks.size(); i++) all.addAll(upBlocks.get(i).stages("up_blocks." + i));
        all.add(new UNetStage("conv_norm_out+conv_out", UNetStage.SkipUse.NONE, 0,
                in -> convOut.forward(ops.silu(convNormOut.forward(in.hidden())))));
        return List.copyOf(all);
    }
}
