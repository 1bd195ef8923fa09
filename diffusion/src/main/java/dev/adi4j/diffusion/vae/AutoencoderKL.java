package dev.adi4j.diffusion.vae;

import dev.adi4j.core.config.ConfigException;
import dev.adi4j.core.config.VaeConfig;
import dev.adi4j.core.model.Component;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.diffusion.nn.Conv2d;
import dev.adi4j.diffusion.nn.NetGraph;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.nn.ParameterSource;
import dev.adi4j.diffusion.nn.SafetensorsParameters;
import dev.adi4j.diffusion.nn.Scope;
import dev.adi4j.diffusion.nn.ShapeOnlyParameters;
import dev.adi4j.diffusion.nn.Tensor;
import dev.adi4j.diffusion.nn.WeightReaders;
import dev.adi4j.diffusion.nn.WeightsException;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The SD 2.1 VAE (diffusers {@code AutoencoderKL}): {@code encoder}, {@code quant_conv} (1x1, 2L -> 2L),
 * {@code post_quant_conv} (1x1, L -> L), {@code decoder}. Weights are loaded once into one SameDiff graph;
 * each input shape gets its own forward sub-graph, built on first use and reused afterwards (the weights are
 * shared constants, so another shape costs only its ops). Instances are safe to share between threads;
 * calls are serialised.
 */
public final class AutoencoderKL implements AutoCloseable {
    /** Every GroupNorm of the diffusers VAE (resnets, mid-block attention, conv_norm_out) uses this eps. */
    static final double NORM_EPS = 1e-6;
    public static final String CONFIG_FILE = Component.VAE.configFile();
    public static final String WEIGHTS_FILE = Component.VAE.weightsFile();

    private final VaeConfig config;
    private final NetGraph graph;
    private final Encoder encoder;
    private final Decoder decoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;
    private final Map<List<Long>, EncodeGraph> encodeGraphs = new HashMap<>();
    private final Map<List<Long>, DecodeGraph> decodeGraphs = new HashMap<>();
    /** The weight files, held until close(); null for weights that came from elsewhere. */
    private final WeightReaders files;

    /** One encode sub-graph: its input placeholder and named outputs, with their static shapes. */
    record EncodeGraph(Tensor input, Tensor encoderOutput, Tensor moments) {}

    /** One decode sub-graph: its input placeholder and named outputs, with their static shapes. */
    record DecodeGraph(Tensor input, Tensor postQuantConv, Tensor image) {}

    private AutoencoderKL(VaeConfig config, ParameterSource params, WeightReaders files) {
        this.config = config;
        this.files = files;
        this.graph = NetGraph.create();
        Scope root = Scope.root(graph.sameDiff(), params, "");
        long latent2 = 2L * config.latentChannels();
        this.encoder = new Encoder(root.child("encoder"), config);
        this.quantConv = new Conv2d(root.child("quant_conv"), latent2, latent2, 1, 1, 0);
        this.postQuantConv = new Conv2d(root.child("post_quant_conv"), config.latentChannels(), config.latentChannels(), 1, 1, 0);
        this.decoder = new Decoder(root.child("decoder"), config);
        params.finish();
    }

    /**
     * Loads the VAE of a model folder with frozen weights (config and weights as {@link ModelFolder} resolves
     * them: fp32 or fp16 variant, one file or shards).
     *
     * @throws dev.adi4j.core.io.ModelLoadException naming the folder or file: folder, config or weights
     *         missing ({@link dev.adi4j.core.model.ModelFolderException}), a config adi4j cannot build
     *         ({@link ConfigException}), or keys missing / unexpected / wrongly shaped ({@link WeightsException},
     *         all listed)
     */
    public static AutoencoderKL load(ModelFolder folder) {
        VaeConfig config = folder.vae();
        validate(config, folder.configFile(Component.VAE));
        // The weights become graph constants while loading, so the files are not read again; they are still
        // held until close() so that every network owns its files the same way (the UNet must: it reads lazily).
        WeightReaders weights = WeightReaders.open(folder.vaeWeights());
        try {
            return new AutoencoderKL(config, new SafetensorsParameters(weights.readers(), false, k -> false), weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Loads a VAE component folder on its own (e.g. {@code tiny-sd/vae}); see {@link #load(ModelFolder)}. */
    public static AutoencoderKL load(Path componentFolder) {
        return load(ModelFolder.component(Component.VAE, componentFolder));
    }

    /**
     * Builds the network from a config and any parameter source (e.g. {@code ShapeOnlyParameters} to check a
     * full-size model's parameter list without allocating it); calls {@link ParameterSource#finish()}.
     */
    public static AutoencoderKL build(VaeConfig config, ParameterSource params) {
        validate(config, Path.of("VaeConfig (in memory)"));
        return new AutoencoderKL(config, params, null);
    }

    /** Every parameter the network declares for a config, in construction order (no weights allocated). */
    public static List<ParamSpec> declaredParameters(VaeConfig config) {
        ShapeOnlyParameters shapes = new ShapeOnlyParameters();
        build(config, shapes);
        return shapes.declared();
    }

    public VaeConfig config() { return config; }

    /** Ratio between image and latent side lengths (8 for SD). */
    public int downscaleFactor() { return 1 << (config.blockOutChannels().size() - 1); }

    /** image [B, in, H, W] in [-1, 1] -> the latent distribution (moments after quant_conv, mean, clamped logvar). */
    public DiagonalGaussian encode(INDArray image) {
        return DiagonalGaussian.fromMoments(encodeOutputs(image).get("moments"));
    }

    /** mean + exp(0.5 logvar) * eps: an unscaled latent sample. */
    public static INDArray sample(INDArray mean, INDArray logvar, INDArray eps) {
        return DiagonalGaussian.sample(mean, logvar, eps);
    }

    /** Latent as the diffusion model sees it: sample * scaling_factor. */
    public INDArray scaleLatent(INDArray sample) { return sample.mul(config.scalingFactor()); }

    /** Inverse of {@link #scaleLatent}: what {@link #decode} expects. */
    public INDArray unscaleLatent(INDArray scaled) { return scaled.div(config.scalingFactor()); }

    /** latent [B, L, h, w] (= scaled latent / scaling_factor) -> image [B, out, 8h, 8w], unclamped (about [-1, 1]). */
    public INDArray decode(INDArray latent) {
        return decodeOutputs(latent).get("image");
    }

    /** Encoder outputs by golden name: {@code encoder_output} (before quant_conv) and {@code moments}. */
    public synchronized Map<String, INDArray> encodeOutputs(INDArray image) {
        checkInput("image", image, config.inChannels());
        EncodeGraph g = prepareEncode(image.shape());
        return run(Map.of(g.input(), image), Map.of("encoder_output", g.encoderOutput(), "moments", g.moments()));
    }

    /** Decoder outputs by golden name: {@code post_quant_conv} and {@code image}. */
    public synchronized Map<String, INDArray> decodeOutputs(INDArray latent) {
        checkInput("latent", latent, config.latentChannels());
        DecodeGraph g = prepareDecode(latent.shape());
        return run(Map.of(g.input(), latent), Map.of("post_quant_conv", g.postQuantConv(), "image", g.image()));
    }

    /** Builds (once) the encode sub-graph for one input shape. */
    synchronized EncodeGraph prepareEncode(long[] shape) {
        return encodeGraphs.computeIfAbsent(key(shape), k -> {
            String tag = tag(shape);
            Tensor in = graph.input("vae.encode.image." + tag, false, shape);
            Tensor h = graph.name(encoder.forward(in), "vae.encode.encoder_output." + tag);
            Tensor moments = graph.name(quantConv.forward(h), "vae.encode.moments." + tag);
            return new EncodeGraph(in, h, moments);
        });
    }

    /** Builds (once) the decode sub-graph for one latent shape. */
    synchronized DecodeGraph prepareDecode(long[] shape) {
        return decodeGraphs.computeIfAbsent(key(shape), k -> {
            String tag = tag(shape);
            Tensor in = graph.input("vae.decode.latent." + tag, false, shape);
            Tensor z = graph.name(postQuantConv.forward(in), "vae.decode.post_quant_conv." + tag);
            Tensor image = graph.name(decoder.forward(z), "vae.decode.image." + tag);
            return new DecodeGraph(in, z, image);
        });
    }

    private Map<String, INDArray> run(Map<Tensor, INDArray> inputs, Map<String, Tensor> outputs) {
        Map<String, INDArray> feed = new HashMap<>();
        inputs.forEach((t, v) -> feed.put(t.var().name(), v));
        String[] names = outputs.values().stream().map(t -> t.var().name()).toArray(String[]::new);
        Map<String, INDArray> out = graph.run(feed, names);
        Map<String, INDArray> byKey = new HashMap<>();
        outputs.forEach((k, t) -> byKey.put(k, out.get(t.var().name())));
        return byKey;
    }

    /** Closes the weight files. */
    @Override
    public synchronized void close() {
        if (files != null) files.close();
    }

    /** Number of forward sub-graphs built so far (encode + decode), for tests of the cache. */
    synchronized int builtGraphs() { return encodeGraphs.size() + decodeGraphs.size(); }

    private static void checkInput(String what, INDArray x, int channels) {
        long[] s = x.shape();
        if (s.length != 4 || s[1] != channels || s[0] < 1 || s[2] < 1 || s[3] < 1) {
            throw new IllegalArgumentException("VAE " + what + " must be [B, " + channels + ", H, W], got " + Arrays.toString(s));
        }
    }

    private static List<Long> key(long[] shape) {
        return Arrays.stream(shape).boxed().toList();
    }

    private static String tag(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    /** Rejects configs this implementation does not build (other block types, activations, group counts). */
    static void validate(VaeConfig c, Path file) {
        int n = c.blockOutChannels().size();
        if (n < 1) throw new ConfigException(file, "block_out_channels", "must not be empty");
        if (c.downBlockTypes().size() != n || c.downBlockTypes().stream().anyMatch(t -> !t.equals("DownEncoderBlock2D"))) {
            throw new ConfigException(file, "down_block_types", "expected " + n + " x DownEncoderBlock2D, got " + c.downBlockTypes());
        }
        if (c.upBlockTypes().size() != n || c.upBlockTypes().stream().anyMatch(t -> !t.equals("UpDecoderBlock2D"))) {
            throw new ConfigException(file, "up_block_types", "expected " + n + " x UpDecoderBlock2D, got " + c.upBlockTypes());
        }
        if (!"silu".equals(c.actFn())) throw new ConfigException(file, "act_fn", "only \"silu\" is supported, got \"" + c.actFn() + "\"");
        for (int ch : c.blockOutChannels()) {
            if (ch <= 0 || ch % c.normNumGroups() != 0) {
                throw new ConfigException(file, "block_out_channels", ch + " is not a positive multiple of norm_num_groups " + c.normNumGroups());
            }
        }
        if (c.layersPerBlock() < 1) throw new ConfigException(file, "layers_per_block", "must be >= 1, got " + c.layersPerBlock());
        if (c.latentChannels() < 1) throw new ConfigException(file, "latent_channels", "must be >= 1, got " + c.latentChannels());
        if (!(c.scalingFactor() > 0)) throw new ConfigException(file, "scaling_factor", "must be > 0, got " + c.scalingFactor());
    }
}
