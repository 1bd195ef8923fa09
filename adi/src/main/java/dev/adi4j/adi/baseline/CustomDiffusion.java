package dev.adi4j.adi.baseline;

import dev.adi4j.core.config.SchedulerConfig;
import dev.adi4j.core.tokenizer.Tokenizer;
import dev.adi4j.diffusion.scheduler.DdpmTraining;
import dev.adi4j.diffusion.scheduler.NoiseSource;
import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Custom Diffusion (Kumari et al., CVPR 2023) as adi4j runs it: fine-tunes the key/value projections of every
 * cross-attention layer ({@code *.attn2.to_k.weight}, {@code *.attn2.to_v.weight}) and one new modifier token's
 * embedding on a few exemplar latents with the denoising loss; every other weight and embedding row stays frozen.
 * No prior-preservation (regularisation) images and no weight clamping: ADI only needs a quick subject model.
 *
 * <p>The UNet must be loaded with {@link #TRAINABLE} ({@code UNet.load(folder, CustomDiffusion.TRAINABLE)}).
 * Training updates its live weights in place and puts the original values back when it ends; the result is
 * returned as {@link CustomDiffusionDeltas} to apply where wanted.
 */
public final class CustomDiffusion {
    /** The weights Custom Diffusion trains. */
    public static final Predicate<String> TRAINABLE =
            name -> name.endsWith(".attn2.to_k.weight") || name.endsWith(".attn2.to_v.weight");

    private final UNet unet;
    private final ClipTextEncoder text;
    private final Tokenizer tokenizer;
    private final SchedulerConfig scheduler;

    /**
     * @param tokenizer the model's tokenizer; the modifier token is added to it (a no-op if it already is)
     */
    public CustomDiffusion(UNet unet, ClipTextEncoder text, Tokenizer tokenizer, SchedulerConfig scheduler) {
        this.unet = unet;
        this.text = text;
        this.tokenizer = tokenizer;
        this.scheduler = scheduler;
    }

    /** One exemplar: VAE latents [1, C, h, w] (encoded and scaled) and its prompt, which must contain the token. */
    public record Example(INDArray latents, String prompt) {
    }

    /**
     * @param token       the modifier token, e.g. {@code <S>}
     * @param initializer a word that is one token, whose embedding initialises the modifier's (e.g. "person")
     * @param steps       optimizer steps; step s trains on example s mod n
     * @param lr          learning rate for weights and token alike
     * @param seed        drives timesteps (uniform in [0, num_train_timesteps)) and noise
     * @param baseModel   recorded in the result (e.g. the model folder), may be empty
     */
    public record Options(String token, String initializer, int steps, double lr, long seed, String baseModel) {
        public Options {
            if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
            if (!(lr > 0)) throw new IllegalArgumentException("the learning rate must be positive, got " + lr);
        }
    }

    /** Called after every step with its loss (before the update). */
    @FunctionalInterface
    public interface Progress {
        void onStep(int step, int total, double loss);

        Progress NONE = (step, total, loss) -> { };
    }

    /** The learned weights and token, and the loss of every step (measured before that step's update). */
    public record Result(CustomDiffusionDeltas deltas, double[] losses) {
    }

    /** Trains with the given optimizer; deterministic for a seed (and a deterministic optimizer). */
    public Result train(List<Example> examples, Options options, ParamUpdater updater, Progress progress) {
        return train(examples, options, updater, progress, null, StepHook.NONE);
    }

    /**
     * Where a resumed run starts: the steps already done and the trained token vector [1, D] and key/value weights
     * (diffusers layout) after them. The optimizer's state is the caller's to restore.
     */
    public record Resume(int step, INDArray tokenVector, Map<String, INDArray> weights) {
    }

    /** Called after each step's update with the steps done, the token vector and the live weights (graph layout). */
    @FunctionalInterface
    public interface StepHook {
        void after(int stepsDone, INDArray tokenVector, Map<String, INDArray> liveWeights);

        StepHook NONE = (done, v, w) -> { };
    }

    /**
     * {@link #train(List, Options, ParamUpdater, Progress)} continuing from {@code resume} (null: from the start),
     * with {@code hook} after every step. The timestep and noise streams are replayed up to the resumed step, so a
     * resumed run draws what an uninterrupted one would.
     */
    public Result train(List<Example> examples, Options options, ParamUpdater updater, Progress progress,
                        Resume resume, StepHook hook) {
        if (examples.isEmpty()) throw new IllegalArgumentException("Custom Diffusion needs at least one example");
        List<String> kv = unet.trainableParameters().stream().filter(TRAINABLE).toList();
        List<String> expected = dev.adi4j.diffusion.unet.UNet.declaredParameters(unet.config()).stream()
                .map(dev.adi4j.diffusion.nn.ParamSpec::name).filter(TRAINABLE).toList();
        if (!kv.equals(expected)) {
            throw new IllegalArgumentException("the UNet's cross-attention key/value weights are not trainable: load it"
                    + " with UNet.load(folder, CustomDiffusion.TRAINABLE)");
        }
        int tokenId = tokenizer.addToken(options.token());
        List<int[]> ids = new ArrayList<>();
        for (Example e : examples) {
            int[] p = tokenizer.encode(e.prompt());
            if (Arrays.stream(p).noneMatch(id -> id == tokenId)) {
                throw new IllegalArgumentException("prompt \"" + e.prompt() + "\" does not contain the token "
                        + options.token());
            }
            ids.add(p);
        }
        INDArray v = initialEmbedding(options.initializer());
        DdpmTraining training = DdpmTraining.of(scheduler);
        SplittableRandom timesteps = timesteps(options.seed());
        NoiseSource noise = noise(options.seed());

        Map<String, INDArray> originals = new LinkedHashMap<>();
        for (String name : kv) originals.put(name, unet.parameter(name).dup());
        double[] losses = new double[options.steps()];
        int start = resume == null ? 0 : resume.step();
        try {
            if (resume != null) {
                v = resume.tokenVector().dup();
                for (String name : kv) {
                    INDArray w = resume.weights().get(name);
                    if (w == null) throw new IllegalArgumentException("resume state has no weight " + name);
                    unet.parameter(name).assign(unet.parameterSpec(name).layout().toGraph(w));
                }
                for (int s = 0; s < start; s++) {
                    timesteps.nextInt(scheduler.numTrainTimesteps());
                    noise.next(examples.get(s % examples.size()).latents().shape());
                }
            }
            Map<String, INDArray> live = new LinkedHashMap<>();
            for (String name : kv) live.put(name, unet.parameter(name));
            for (int s = start; s < options.steps(); s++) {
                int i = s % examples.size();
                INDArray x0 = examples.get(i).latents();
                int[] t = {timesteps.nextInt(scheduler.numTrainTimesteps())};
                INDArray eps = noise.next(x0.shape());
                INDArray noisy = training.addNoise(x0, eps, t);
                INDArray target = training.target(x0, eps, t);
                int[][] prompt = {ids.get(i)};
                INDArray context = text.encodeWithOverrides(prompt, tokenId, v);
                UNet.WeightGradients g = unet.weightGradients(noisy, Nd4j.createFromArray((float) t[0]), context, target);
                // the text-encoder backward maps d loss / d context to d loss / d token vector (frozen encoder)
                INDArray gradV = text.gradientWrtIdentifier(prompt, tokenId, v, g.contextGradient()).gradV();
                losses[s] = g.loss();
                progress.onStep(s, options.steps(), g.loss());
                for (String name : kv) updater.step(name, unet.parameter(name), g.weightGradients().get(name), options.lr());
                updater.step(options.token(), v, gradV, options.lr());
                hook.after(s + 1, v, live);
            }
            Map<String, INDArray> trained = new LinkedHashMap<>();
            for (String name : kv) {
                trained.put(name, unet.parameterSpec(name).layout().toReference(unet.parameter(name)).dup());
            }
            return new Result(new CustomDiffusionDeltas(options.token(), v.dup(), trained, options.baseModel()), losses);
        } finally {
            originals.forEach((name, value) -> unet.parameter(name).assign(value));
        }
    }

    /** The timestep stream of a seed: step s draws the s-th value. */
    static SplittableRandom timesteps(long seed) {
        return new SplittableRandom(seed);
    }

    /** The noise stream of a seed, independent of the timestep stream. */
    static NoiseSource noise(long seed) {
        return NoiseSource.gaussian(seed ^ 0x5DEECE66DL);
    }

    /** The initializer word's embedding [1, D]; the word must be a single token. */
    INDArray initialEmbedding(String word) {
        int[] p = tokenizer.encode(word);
        if (p.length < 3 || p[1] == tokenizer.eosId() || p[2] != tokenizer.eosId()) {
            throw new IllegalArgumentException("the initializer \"" + word + "\" must be exactly one token");
        }
        return text.embed(new int[][]{{p[1]}}, Map.of()).reshape(1, text.config().hiddenSize()).dup();
    }
}
