package dev.adi4j.mini.base;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Size of a mini-world model: SD 2.1's networks (UNet2DConditionModel, CLIPTextModel) at a small config, in
 * pixel space through a fixed space-to-depth codec instead of a VAE. The deepest UNet level has no attention;
 * the levels above it have cross-attention (as diffusers' down/up block types say).
 *
 * @param imageSize     side of the square RGB images (32 for the mini world)
 * @param codecFactor   space-to-depth factor: the UNet sees imageSize/factor squares of 3*factor^2 channels
 * @param blockChannels UNet block_out_channels
 * @param textLayers    text encoder layers
 * @param textWidth     text encoder hidden size (= the UNet's cross_attention_dim)
 * @param contextLength tokens per prompt (= the text encoder's max_position_embeddings)
 * @param prediction    what the UNet predicts: {@code "v_prediction"} (as SD 2.1) or {@code "epsilon"}
 */
public record MiniModelConfig(int imageSize, int codecFactor, List<Integer> blockChannels, int layersPerBlock,
                              int attentionHeadDim, int normGroups, int textLayers, int textWidth, int textHeads,
                              int contextLength, String prediction) {
    public static final String V_PREDICTION = "v_prediction";
    public static final String EPSILON = "epsilon";

    public MiniModelConfig {
        blockChannels = List.copyOf(blockChannels);
        if (!V_PREDICTION.equals(prediction) && !EPSILON.equals(prediction)) {
            throw new IllegalArgumentException("prediction must be " + V_PREDICTION + " or " + EPSILON + ", got " + prediction);
        }
        if (blockChannels.size() < 2) throw new IllegalArgumentException("the UNet needs at least two levels");
        if (imageSize % codecFactor != 0) throw new IllegalArgumentException("image size must divide by the codec factor");
    }

    /**
     * The spec's sizing: block_out_channels (32, 64, 64), 1 layer per block, a 2-layer 64-wide text encoder.
     * v-prediction: with epsilon prediction the loss weighs the x0 error by a/(1-a), next to nothing at the high noise
     * levels where a drawing's layout is decided, so the prompt barely shaped the figure. Measured: 4,000 epsilon steps
     * (adi4j and PyTorch, equal loss curves) drew the prompted colour but a pose and subject the judge scored at chance.
     */
    public static MiniModelConfig standard() {
        return new MiniModelConfig(32, 2, List.of(32, 64, 64), 1, 8, 32, 2, 64, 4, 16, V_PREDICTION);
    }

    /** A very small model for tests (seconds per step count). */
    public static MiniModelConfig tiny() {
        return new MiniModelConfig(32, 2, List.of(8, 16), 1, 4, 8, 1, 16, 2, 16, V_PREDICTION);
    }

    /** Channels the UNet denoises (image channels times the codec's factor squared). */
    public int latentChannels() { return 3 * codecFactor * codecFactor; }

    public int latentSize() { return imageSize / codecFactor; }

    /** diffusers' unet/config.json for this size. */
    public Map<String, Object> unetConfig() {
        int levels = blockChannels.size();
        List<String> down = new ArrayList<>();
        List<String> up = new ArrayList<>();
        for (int i = 0; i < levels; i++) down.add(i < levels - 1 ? "CrossAttnDownBlock2D" : "DownBlock2D");
        for (int i = 0; i < levels; i++) up.add(i == 0 ? "UpBlock2D" : "CrossAttnUpBlock2D");
        List<Integer> heads = new ArrayList<>();
        for (int c : blockChannels) heads.add(Math.max(1, c / attentionHeadDim));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("_class_name", "UNet2DConditionModel");
        c.put("_diffusers_version", "0.27.2");
        c.put("act_fn", "silu");
        c.put("attention_head_dim", heads);
        c.put("block_out_channels", blockChannels);
        c.put("center_input_sample", false);
        c.put("cross_attention_dim", textWidth);
        c.put("down_block_types", down);
        c.put("downsample_padding", 1);
        c.put("flip_sin_to_cos", true);
        c.put("freq_shift", 0);
        c.put("in_channels", latentChannels());
        c.put("layers_per_block", layersPerBlock);
        c.put("mid_block_scale_factor", 1);
        c.put("mid_block_type", "UNetMidBlock2DCrossAttn");
        c.put("norm_eps", 1e-5);
        c.put("norm_num_groups", normGroups);
        c.put("out_channels", latentChannels());
        c.put("sample_size", latentSize());
        c.put("transformer_layers_per_block", 1);
        c.put("up_block_types", up);
        c.put("upcast_attention", false);
        c.put("use_linear_projection", true);
        return c;
    }

    /** transformers' text_encoder/config.json for this size and a vocabulary of {@code vocabSize} ids. */
    public Map<String, Object> textEncoderConfig(int vocabSize, int bos, int eos, int pad) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("CLIPTextModel"));
        c.put("bos_token_id", bos);
        c.put("eos_token_id", eos);
        c.put("pad_token_id", pad);
        c.put("hidden_act", "gelu");
        c.put("hidden_size", textWidth);
        c.put("intermediate_size", 4 * textWidth);
        c.put("layer_norm_eps", 1e-5);
        c.put("max_position_embeddings", contextLength);
        c.put("model_type", "clip_text_model");
        c.put("num_attention_heads", textHeads);
        c.put("num_hidden_layers", textLayers);
        c.put("projection_dim", textWidth);
        c.put("torch_dtype", "float32");
        c.put("vocab_size", vocabSize);
        return c;
    }

    /**
     * scheduler_config.json: the cosine ("squaredcos_cap_v2") schedule with this config's prediction type. Cosine, not SD's
     * scaled_linear: scaled_linear was tuned for SD's 4-channel latents at 64x64, where neighbouring values are
     * redundant; at 16x16 pixel-space positions it destroys the image too early and wastes most timesteps on
     * near-pure noise (Nichol and Dhariwal 2021), and the spec's PyTorch measurement trained with cosine.
     * {@code clip_sample} (sampling only): the codec is lossless pixel space, so x0 lies in [-1, 1] exactly, and
     * clamping each step's x0 estimate there keeps the first steps' errors (x0 = (x_t - sqrt(1-a) eps) / sqrt(a)
     * with sqrt(a) ~ 0.08 multiplies the noise error by ~13) from derailing the trajectory — as DDPM's pixel-space
     * models do. Measured at 1,250 training steps: without it pure noise came out, with it figures on a ground line.
     */
    public Map<String, Object> schedulerConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("_class_name", "DDIMScheduler");
        c.put("_diffusers_version", "0.27.2");
        c.put("beta_schedule", "squaredcos_cap_v2");
        c.put("beta_start", 0.0001);
        c.put("beta_end", 0.02);
        c.put("clip_sample", true);
        c.put("num_train_timesteps", 1000);
        c.put("prediction_type", prediction);
        c.put("set_alpha_to_one", false);
        c.put("steps_offset", 1);
        c.put("timestep_spacing", "leading");
        return c;
    }
}
