package dev.adi4j.diffusion.pipeline;

import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.tokenizer.ClipTokenizer;
import dev.adi4j.core.tokenizer.Tokenizer;
import dev.adi4j.core.tokenizer.WordTokenizer;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.identifier.LayerWiseEncoder;
import dev.adi4j.diffusion.scheduler.NoiseSource;
import dev.adi4j.diffusion.scheduler.Sampler;
import dev.adi4j.diffusion.scheduler.Samplers;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import dev.adi4j.diffusion.vae.AutoencoderKL;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Text-to-image: prompt and negative prompt -> tokenizer -> text encoder (once per request) -> classifier-free
 * guided sampling -> decode (the VAE, or a fixed {@link ImageCodec} such as the mini world's space-to-depth). Learned identifiers plug in as layer-wise conditioning: a prompt naming an
 * identifier token is encoded once per cross-attention layer with that layer's vector at the token.
 */
public final class StableDiffusionPipeline implements AutoCloseable {
    private final Tokenizer tokenizer;
    private final ClipTextEncoder textEncoder;
    private final UNet unet;
    /** Null when the model has a fixed codec instead of a VAE. */
    private final AutoencoderKL vae;
    private final ImageCodec codec;
    private final SchedulerConfig schedulerConfig;

    public StableDiffusionPipeline(Tokenizer tokenizer, ClipTextEncoder textEncoder, UNet unet, AutoencoderKL vae,
                                   SchedulerConfig schedulerConfig) {
        this(tokenizer, textEncoder, unet, ImageCodec.vae(vae), schedulerConfig);
    }

    /** A pipeline decoding through {@code codec} (the VAE's codec, or a fixed one with no VAE). */
    public StableDiffusionPipeline(Tokenizer tokenizer, ClipTextEncoder textEncoder, UNet unet, ImageCodec codec,
                                   SchedulerConfig schedulerConfig) {
        this.tokenizer = tokenizer;
        this.textEncoder = textEncoder;
        this.unet = unet;
        this.codec = codec;
        this.vae = codec instanceof VaeCodec v ? v.vae() : null;
        this.schedulerConfig = schedulerConfig;
    }

    /** Loads a diffusers model folder; a missing or partial folder is one clear error naming what is missing. */
    public static StableDiffusionPipeline load(Path root) {
        return load(ModelFolder.open(root));
    }

    /**
     * Loads every component of a model folder (weights in the folder's preferred variant, one file or shards).
     * The networks hold their weight files open until {@link #close()}; if one fails to load, those already
     * loaded are closed before the error is passed on.
     */
    public static StableDiffusionPipeline load(ModelFolder folder) {
        return load(folder, name -> false);
    }

    /**
     * {@link #load(ModelFolder)} with the UNet weights {@code trainableUNetWeights} selects as SameDiff variables
     * (fine-tuning them, e.g. Custom Diffusion's key/value projections, while the pipeline samples with them).
     */
    public static StableDiffusionPipeline load(ModelFolder folder, java.util.function.Predicate<String> trainableUNetWeights) {
        SchedulerConfig scheduler = folder.scheduler();
        Tokenizer tokenizer = loadTokenizer(folder);
        ClipTextEncoder text = ClipTextEncoder.load(folder);
        UNet unet = null;
        try {
            unet = UNet.load(folder, trainableUNetWeights);
            return new StableDiffusionPipeline(tokenizer, text, unet, ImageCodec.load(folder), scheduler);
        } catch (RuntimeException e) {
            closeQuietly(text, e);
            if (unet != null) closeQuietly(unet, e);
            throw e;
        }
    }

    /** tokenizer/: a word-level tokenizer when its tokenizer_config.json says "WordLevel", else CLIP's BPE. */
    static Tokenizer loadTokenizer(ModelFolder folder) {
        java.nio.file.Path dir = folder.root().resolve(ModelFolder.TOKENIZER);
        if (WordTokenizer.isWordLevel(dir)) return WordTokenizer.load(dir);
        return ClipTokenizer.load(folder.tokenizer().folder(), ClipTokenizer.Pipeline.HF);
    }

    private static void closeQuietly(AutoCloseable c, RuntimeException failure) {
        try {
            c.close();
        } catch (Exception suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    public Tokenizer tokenizer() { return tokenizer; }

    public UNet unet() { return unet; }

    /**
     * The VAE; a model with a fixed codec has none (IllegalStateException): use {@link #codec()}, which every
     * model has.
     */
    public AutoencoderKL vae() {
        if (vae == null) {
            throw new IllegalStateException("this model has no VAE: it uses the fixed codec " + codec + " (see codec())");
        }
        return vae;
    }

    /** Images <-> UNet space: the VAE's or the model's fixed codec. */
    public ImageCodec codec() { return codec; }

    public ClipTextEncoder textEncoder() { return textEncoder; }

    public SchedulerConfig schedulerConfig() { return schedulerConfig; }

    /** The sampler by name, or the model's own scheduler when {@code name} is null. */
    public Sampler sampler(String name) {
        return name == null ? Samplers.fromConfig(schedulerConfig) : Samplers.byName(name, schedulerConfig);
    }

    /**
     * Encodes a prompt. Identifier tokens in it are added to the tokenizer; when any is present the result is
     * layer-wise (one context per cross-attention layer).
     */
    public Conditioning encode(String prompt, Identifiers identifiers) {
        Map<Integer, INDArray> used = new java.util.HashMap<>();
        for (Map.Entry<String, INDArray> e : identifiers.vectors().entrySet()) {
            if (prompt.contains(e.getKey())) used.put(tokenizer.addToken(e.getKey()), e.getValue());
        }
        int[] ids = tokenizer.encode(prompt);
        if (used.isEmpty()) return Conditioning.shared(textEncoder.encode(new int[][]{ids}));
        if (used.values().stream().allMatch(v -> v.rank() == 2 && v.size(0) == 1)) {
            // single-vector identifiers (Textual Inversion, Custom Diffusion's token) are the same in every layer
            Map<Integer, INDArray> vectors = new java.util.HashMap<>();
            used.forEach((id, v) -> vectors.put(id, v.reshape(v.size(1))));
            return Conditioning.shared(textEncoder.forward(textEncoder.embed(new int[][]{ids}, vectors)));
        }
        LayerWiseEncoder encoder = new LayerWiseEncoder(textEncoder, unet.crossAttentionLayers());
        return Conditioning.layerWise(LayerWiseEncoder.perLayer(encoder.encode(ids, used)));
    }

    /** Runs a request: returns images [N, 3, H, W] in [0, 1]. */
    public INDArray generate(GenerationRequest r, Identifiers identifiers, StepListener listener) {
        Conditioning positive = requireFinite(encode(r.prompt(), identifiers), "the text encoder's output for the prompt");
        Conditioning negative = requireFinite(encode(r.negativePrompt(), identifiers),
                "the text encoder's output for the negative prompt");
        long factor = codec.downscaleFactor();
        List<INDArray> images = new ArrayList<>();
        for (int i = 0; i < r.numImages(); i++) {
            Sampler sampler = sampler(r.sampler());
            sampler.setTimesteps(r.steps());
            NoiseSource rng = NoiseSource.gaussian(r.seed() + i);
            long[] shape = {1, unet.config().inChannels(), r.height() / factor, r.width() / factor};
            INDArray latents = rng.next(shape).muli(sampler.initNoiseSigma());
            INDArray last = new Denoiser(unet).run(latents, positive, negative, r.guidance(), sampler, rng, listener);
            requireFinite(last, "the UNet's denoised latents");
            images.add(ImageMath.toUnitRange(codec.decode(last)));
        }
        return Nd4j.concat(0, images.toArray(INDArray[]::new));
    }

    /**
     * Several prompts in one batch: {@code perPrompt} images of each prompt, image i of every prompt starting from
     * the noise of {@code seed + i} — the start {@link #generate} gives it — so prompts are compared on equal noise.
     * One UNet call per step for all of them, which on small models costs little more than one image. Returns
     * images [prompts x perPrompt, 3, H, W] in [0, 1], prompt-major. Deterministic samplers give the images of
     * {@code generate} up to float rounding (batched arithmetic may differ in the last bits).
     */
    public INDArray generateBatch(List<String> prompts, String negativePrompt, int width, int height, int steps,
                                  double guidance, String samplerName, long seed, int perPrompt, Identifiers identifiers) {
        if (prompts.isEmpty() || perPrompt < 1) throw new IllegalArgumentException("no prompts or no images per prompt");
        new GenerationRequest(prompts.get(0), negativePrompt, width, height, steps, guidance, samplerName, seed, perPrompt);
        List<Conditioning> positives = new ArrayList<>();
        boolean layerWise = false;
        for (String p : prompts) {
            Conditioning c = requireFinite(encode(p, identifiers), "the text encoder's output for \"" + p + "\"");
            positives.add(c);
            layerWise |= c.isLayerWise();
        }
        Conditioning negative = requireFinite(encode(negativePrompt, identifiers),
                "the text encoder's output for the negative prompt");
        int layers = layerWise ? unet.crossAttentionLayers() : 1;
        List<INDArray> perLayer = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            List<INDArray> rows = new ArrayList<>();
            for (Conditioning c : positives) for (int i = 0; i < perPrompt; i++) rows.add(c.layer(k));
            perLayer.add(Nd4j.concat(0, rows.toArray(INDArray[]::new)));
        }
        Sampler sampler = sampler(samplerName);
        sampler.setTimesteps(steps);
        long factor = codec.downscaleFactor();
        long[] shape = {1, unet.config().inChannels(), height / factor, width / factor};
        List<INDArray> starts = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            for (int i = 0; i < perPrompt; i++) starts.add(NoiseSource.gaussian(seed + i).next(shape));
        }
        INDArray latents = Nd4j.concat(0, starts.toArray(INDArray[]::new)).muli(sampler.initNoiseSigma());
        INDArray last = new Denoiser(unet).run(latents, new Conditioning(perLayer), negative, guidance, sampler,
                NoiseSource.gaussian(seed), StepListener.NONE);
        requireFinite(last, "the UNet's denoised latents");
        return ImageMath.toUnitRange(codec.decode(last));
    }

    // NaN/Inf weights would otherwise come out as a black image; stop at the first network that produced them.
    private static Conditioning requireFinite(Conditioning c, String what) {
        c.perLayer().forEach(a -> requireFinite(a, what));
        return c;
    }

    private static void requireFinite(INDArray a, String what) {
        // x * 0 is 0 for every finite x and NaN for NaN and +-Inf, so one sum tells
        if (Double.isNaN(a.mul(0).sumNumber().doubleValue())) {
            throw new IllegalStateException(what + " holds NaN/Inf values: the model's weights are not finite"
                    + " (`adi inspect --stats MODEL` lists the tensors)");
        }
    }

    /** Closes the three networks (their weight files and cached graphs). */
    @Override
    public void close() throws Exception {
        try (textEncoder; codec) {
            unet.close();
        }
    }
}
