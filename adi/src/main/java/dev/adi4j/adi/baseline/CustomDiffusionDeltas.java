package dev.adi4j.adi.baseline;

import dev.adi4j.core.config.UNetConfig;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import dev.adi4j.diffusion.nn.ParamSpec;
import dev.adi4j.diffusion.identifier.Identifiers;
import dev.adi4j.diffusion.unet.UNet;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Custom Diffusion learns for one subject: the fine-tuned cross-attention key/value weights (whole tensors, not
 * differences, in diffusers names and PyTorch layout) and the modifier token's embedding [1, D]. Stored as one
 * safetensors file: the weights under their diffusers names, the vector under the token itself (e.g. {@code <S>}),
 * metadata {@value #FORMAT_KEY} = {@value #FORMAT}, {@value #TOKEN_KEY} and {@value #BASE_MODEL_KEY}.
 */
public record CustomDiffusionDeltas(String token, INDArray tokenVector, Map<String, INDArray> weights, String baseModel) {
    public static final String FORMAT_KEY = "adi4j.custom_diffusion";
    public static final String FORMAT = "1";
    public static final String TOKEN_KEY = "adi4j.token";
    public static final String BASE_MODEL_KEY = "adi4j.base_model";

    public CustomDiffusionDeltas {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("a modifier token is required");
        if (tokenVector.rank() == 1) tokenVector = tokenVector.reshape(1, tokenVector.length());
        if (tokenVector.rank() != 2 || tokenVector.size(0) != 1) {
            throw new IllegalArgumentException("the token vector must be [1, D], got " + Arrays.toString(tokenVector.shape()));
        }
        for (String name : weights.keySet()) {
            if (!CustomDiffusion.TRAINABLE.test(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a cross-attention key/value weight");
            }
            if (name.equals(token)) throw new IllegalArgumentException("the token '" + token + "' names a weight");
        }
        weights = Collections.unmodifiableMap(new TreeMap<>(weights));
        baseModel = baseModel == null ? "" : baseModel;
    }

    /** The token as an identifier for {@link dev.adi4j.diffusion.pipeline.StableDiffusionPipeline} (one shared vector). */
    public Identifiers identifiers() {
        return new Identifiers(Map.of(token, tokenVector));
    }

    /** Writes atomically (temp file + rename); an existing file is replaced. */
    public void save(Path file) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata(FORMAT_KEY, FORMAT).metadata(TOKEN_KEY, token)
                .metadata(BASE_MODEL_KEY, baseModel);
        weights.forEach(w::add);
        w.add(token, tokenVector);
        w.write(file);
    }

    /**
     * Reads a file written by {@link #save}.
     *
     * @throws IllegalArgumentException naming the file and the offending key: not a Custom Diffusion file, token
     *                                  tensor missing or misshapen, a key that is not a key/value weight
     */
    public static CustomDiffusionDeltas load(Path file) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            Map<String, String> meta = r.metadata();
            if (!FORMAT.equals(meta.get(FORMAT_KEY))) {
                throw new IllegalArgumentException(file + ": not an adi4j Custom Diffusion file (metadata '" + FORMAT_KEY
                        + "' must be \"" + FORMAT + "\", found " + (meta.containsKey(FORMAT_KEY)
                        ? "\"" + meta.get(FORMAT_KEY) + "\"" : "none") + ")");
            }
            String token = meta.get(TOKEN_KEY);
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException(file + ": metadata '" + TOKEN_KEY + "' (the modifier token) is missing");
            }
            if (!r.contains(token)) {
                throw new IllegalArgumentException(file + ": no tensor for the token '" + token + "' named in '"
                        + TOKEN_KEY + "'");
            }
            long[] ts = r.info(token).shape();
            if (!(ts.length == 2 && ts[0] == 1) && ts.length != 1) {
                throw new IllegalArgumentException(file + ": token '" + token + "' must be [1, D], got " + Arrays.toString(ts));
            }
            Map<String, INDArray> weights = new LinkedHashMap<>();
            for (String name : r.names()) {
                if (name.equals(token)) continue;
                if (!CustomDiffusion.TRAINABLE.test(name)) {
                    throw new IllegalArgumentException(file + ": unknown key '" + name + "' (expected '<S>'-style token '"
                            + token + "' and *.attn2.to_k.weight / *.attn2.to_v.weight)");
                }
                weights.put(name, r.loadFloat(name));
            }
            return new CustomDiffusionDeltas(token, r.loadFloat(token), weights, meta.get(BASE_MODEL_KEY));
        }
    }

    /** {@link #load(Path)}, then checks every weight against a UNet config (names and shapes). */
    public static CustomDiffusionDeltas load(Path file, UNetConfig config) {
        CustomDiffusionDeltas d = load(file);
        d.check(config, file.toString());
        return d;
    }

    /**
     * Checks names and shapes against what a UNet of {@code config} declares.
     *
     * @param source named in the error (a file, or a description)
     */
    public void check(UNetConfig config, String source) {
        Map<String, ParamSpec> declared = new LinkedHashMap<>();
        for (ParamSpec p : UNet.declaredParameters(config)) declared.put(p.name(), p);
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            ParamSpec spec = declared.get(e.getKey());
            if (spec == null) {
                throw new IllegalArgumentException(source + ": unknown key '" + e.getKey() + "': this UNet has no such weight");
            }
            if (!Arrays.equals(spec.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(source + ": key '" + e.getKey() + "' has shape "
                        + Arrays.toString(e.getValue().shape()) + " but the UNet's config needs " + Arrays.toString(spec.shape()));
            }
        }
    }

    /**
     * Writes the weights into the UNet's live arrays (every graph, forward or gradient, then uses them) and returns
     * a handle whose {@link Applied#close()} puts the original values back exactly.
     */
    public Applied applyTo(UNet unet) {
        check(unet.config(), "Custom Diffusion weights for '" + token + "'");
        Map<String, INDArray> originals = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, INDArray> e : weights.entrySet()) {
                INDArray live = unet.parameter(e.getKey());
                originals.put(e.getKey(), live.dup());
                // toGraph may free its argument: give it a copy
                live.assign(unet.parameterSpec(e.getKey()).layout().toGraph(e.getValue().dup()));
            }
        } catch (RuntimeException ex) {
            new Applied(unet, originals).close();
            throw ex;
        }
        return new Applied(unet, originals);
    }

    /** For a one-shot run (e.g. {@code adi generate}): applies the weights for good and adds the token to {@code others}. */
    public Identifiers useIn(UNet unet, Identifiers others) {
        if (others.vectors().containsKey(token)) {
            throw new IllegalArgumentException("token '" + token + "' is both a learned identifier and the Custom Diffusion token");
        }
        applyTo(unet);
        Map<String, INDArray> all = new LinkedHashMap<>(others.vectors());
        all.put(token, tokenVector);
        return new Identifiers(all);
    }

    /** Applied weights; closing restores the values the UNet had before. */
    public static final class Applied implements AutoCloseable {
        private final UNet unet;
        private final Map<String, INDArray> originals;
        private boolean closed;

        private Applied(UNet unet, Map<String, INDArray> originals) {
            this.unet = unet;
            this.originals = originals;
        }

        /** Names of the weights that were replaced. */
        public List<String> names() {
            return List.copyOf(originals.keySet());
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            originals.forEach((name, value) -> unet.parameter(name).assign(value));
        }
    }
}
