package dev.adi4j.mini.base;

import dev.adi4j.adi.optim.AdamW;
import dev.adi4j.adi.optim.FloatData;
import dev.adi4j.core.model.ModelFolder;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import dev.adi4j.core.tokenizer.WordTokenizer;
import dev.adi4j.diffusion.pipeline.ImageCodec;
import dev.adi4j.diffusion.scheduler.DdpmTraining;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The live state of a base-model run: the networks (every UNet weight trainable; the text encoder's
 * transformer frozen at its random init, its token embeddings trained), AdamW, the EMA and the data.
 * Every step's randomness (batch, timesteps, noise, caption dropout) is a function of (seed, step), so the
 * checkpoint needs no RNG state and a resumed run is bit-identical to an uninterrupted one.
 */
final class TrainingSession implements AutoCloseable {
    static final String INIT = "init";
    static final String CHECKPOINT = "checkpoint.safetensors";
    static final String TOKENS = "text.token_embedding";
    private static final String PARAM = "param.";
    private static final String EMA = "ema.";
    private static final String ADAM = "adam.";

    final BaseTrainConfig config;
    final WordTokenizer tokenizer;
    final UNet unet;
    final ClipTextEncoder text;
    final ImageCodec codec;
    final TrainingData data;
    final DdpmTraining ddpm;
    final AdamW adam;
    final Map<String, INDArray> ema = new LinkedHashMap<>();
    long step;

    /** One step's inputs. */
    record Batch(INDArray x0, int[][] ids, INDArray noise, int[] timesteps) {
    }

    TrainingSession(BaseTrainConfig config, Path runDir) throws IOException {
        this.config = config;
        Path init = runDir.resolve(INIT);
        if (!Files.isDirectory(init)) {
            Path tmp = runDir.resolve(INIT + ".tmp");
            deleteTree(tmp);
            MiniModelFolder.writeRandom(tmp, config.model(), MiniVocabulary.tokenizer(config.policy(),
                    config.model().contextLength()), config.seed());
            Files.move(tmp, init);
        }
        ModelFolder folder = ModelFolder.open(init);
        tokenizer = WordTokenizer.load(init.resolve(ModelFolder.TOKENIZER));
        codec = ImageCodec.load(folder);
        ddpm = DdpmTraining.of(folder.scheduler());
        text = ClipTextEncoder.load(folder);
        unet = UNet.load(folder, n -> true);
        data = TrainingData.render(config, tokenizer, codec);
        adam = new AdamW(new AdamW.Settings(0.9, 0.999, 1e-8, config.weightDecay()));
        for (String n : unet.trainableParameters()) ema.put(PARAM + n, unet.parameter(n).dup());
        ema.put(TOKENS, text.tokenEmbeddingTable().dup());
    }

    /** The live trainable arrays by checkpoint name. */
    Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (String n : unet.trainableParameters()) p.put(PARAM + n, unet.parameter(n));
        p.put(TOKENS, text.tokenEmbeddingTable());
        return p;
    }

    Batch batch(long at) {
        Random r = new Random(config.seed() * 0x9E3779B97F4A7C15L + at);
        int b = config.batch();
        int[] rows = new int[b];
        int[][] ids = new int[b][];
        int[] t = new int[b];
        for (int i = 0; i < b; i++) {
            rows[i] = r.nextInt(data.size());
            ids[i] = r.nextDouble() < config.captionDropout() ? data.emptyIds() : data.ids()[rows[i]];
            t[i] = r.nextInt(ddpm.schedule().numTrainTimesteps());
        }
        INDArray x0 = Nd4j.pullRows(data.latents().reshape(data.size(), -1), 1, rows)
                .reshape('c', b, data.latents().size(1), data.latents().size(2), data.latents().size(3));
        float[] noise = new float[(int) x0.length()];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) r.nextGaussian();
        return new Batch(x0, ids, Nd4j.create(noise, x0.shape(), 'c'), t);
    }

    /** Loss and gradients of every trainable array (by checkpoint name) on a batch; nothing is updated. */
    record Gradients(double loss, Map<String, INDArray> grads) {
    }

    Gradients gradients(Batch batch) {
        INDArray xt = ddpm.addNoise(batch.x0(), batch.noise(), batch.timesteps());
        INDArray target = ddpm.target(batch.x0(), batch.noise(), batch.timesteps());
        float[] ts = new float[batch.timesteps().length];
        for (int i = 0; i < ts.length; i++) ts[i] = batch.timesteps()[i];
        INDArray embeds = text.embed(batch.ids(), Map.of());
        INDArray context = text.forward(embeds);
        UNet.WeightGradients wg = unet.weightGradients(xt, Nd4j.createFromArray(ts), context, target);
        INDArray gradEmbeds = text.backward(embeds, wg.contextGradient()).gradInputsEmbeds();
        Map<String, INDArray> grads = new LinkedHashMap<>();
        wg.weightGradients().forEach((n, g) -> grads.put(PARAM + n, g));
        grads.put(TOKENS, scatterRows(batch.ids(), gradEmbeds, text.tokenEmbeddingTable()));
        return new Gradients(wg.loss(), grads);
    }

    /** d loss / d token table: each position's embedding gradient added to its token's row. */
    private static INDArray scatterRows(int[][] ids, INDArray gradEmbeds, INDArray table) {
        long dim = table.size(1);
        float[] out = new float[(int) table.length()];
        float[] g = gradEmbeds.dup('c').data().asFloat();
        int len = ids[0].length;
        for (int b = 0; b < ids.length; b++) {
            for (int p = 0; p < len; p++) {
                int row = ids[b][p];
                int src = (int) ((b * (long) len + p) * dim);
                for (int d = 0; d < dim; d++) out[(int) (row * dim) + d] += g[src + d];
            }
        }
        return Nd4j.create(out, table.shape(), 'c');
    }

    /**
     * One optimisation step (the next step number); returns the batch loss before the update. Clipping, AdamW and
     * the EMA run as Java loops over each tensor's floats: ~200 small tensors x ~20 ND4J ops each cost ~0.7 s per
     * step in op overhead, the loops a few milliseconds.
     */
    double step() {
        long at = step + 1;
        Gradients g = gradients(batch(at));
        Map<String, float[]> grads = new LinkedHashMap<>();
        g.grads().forEach((n, a) -> grads.put(n, FloatData.read(a)));
        float scale = (float) clipScale(grads.values());
        double lr = config.lrAt(at);
        float decay = (float) Math.min(config.emaDecay(), (1.0 + at) / (10.0 + at));
        float keep = 1 - decay;
        for (Map.Entry<String, INDArray> e : parameters().entrySet()) {
            float[] grad = grads.get(e.getKey());
            if (scale != 1f) for (int i = 0; i < grad.length; i++) grad[i] *= scale;
            adam.step(e.getKey(), e.getValue(), grad, lr);
            INDArray emaArray = ema.get(e.getKey());
            float[] average = FloatData.read(emaArray);
            float[] now = FloatData.read(e.getValue());
            for (int i = 0; i < average.length; i++) average[i] = average[i] * decay + now[i] * keep;
            FloatData.write(emaArray, average);
        }
        step = at;
        return g.loss();
    }

    private double clipScale(Iterable<float[]> grads) {
        if (!(config.maxGradNorm() > 0)) return 1.0;
        double sq = 0;
        for (float[] g : grads) for (float x : g) sq += (double) x * x;
        double norm = Math.sqrt(sq);
        return norm > config.maxGradNorm() ? config.maxGradNorm() / (norm + 1e-6) : 1.0;
    }

    /** Writes weights, EMA, AdamW moments and the step atomically to {@code file}. */
    void save(Path file) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        w.metadata("step", Long.toString(step)).metadata("identity", config.identity());
        parameters().forEach((n, a) -> w.add(n, a.dup('c')));
        ema.forEach((n, a) -> w.add(EMA + n, a.dup('c')));
        adam.stateTensors().forEach((n, a) -> w.add(ADAM + n, a));
        w.write(file);
    }

    /** Restores a {@link #save}d state; a checkpoint of other settings is refused. */
    void restore(Path file) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            String identity = r.metadata().get("identity");
            if (!config.identity().equals(BaseTrainConfig.canonicalIdentity(identity))) {
                throw new IllegalStateException(file + " was written by a run with other settings:\n  " + identity
                        + "\nthis run:\n  " + config.identity());
            }
            for (Map.Entry<String, INDArray> e : parameters().entrySet()) {
                e.getValue().assign(r.loadFloat(e.getKey(), e.getValue().shape()));
                ema.get(e.getKey()).assign(r.loadFloat(EMA + e.getKey(), e.getValue().shape()));
            }
            Map<String, INDArray> moments = new LinkedHashMap<>();
            for (String n : r.names()) if (n.startsWith(ADAM)) moments.put(n.substring(ADAM.length()), r.loadFloat(n));
            adam.loadState(moments);
            step = Long.parseLong(r.metadata().get("step"));
        }
    }

    /** The EMA of the UNet weights by UNet weight name, in the reference (safetensors) layout. */
    Map<String, INDArray> emaUNetReference() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String n : unet.trainableParameters()) {
            out.put(n, unet.parameterSpec(n).layout().toReference(ema.get(PARAM + n)).dup('c'));
        }
        return out;
    }

    INDArray emaTokens() { return ema.get(TOKENS); }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    @Override
    public void close() throws Exception {
        try (text; codec) {
            unet.close();
        }
    }
}
