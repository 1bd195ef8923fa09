package dev.adi4j.adi.train;

import dev.adi4j.adi.data.PromptTemplates;
import dev.adi4j.adi.identifier.LayerWiseObjective;
import dev.adi4j.adi.mask.GradientMasks;
import dev.adi4j.core.tokenizer.Tokenizer;
import dev.adi4j.diffusion.scheduler.DdpmTraining;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One optimizer step's gradient: for each micro-step an anchor, (for ADI) a context-different exemplar and the
 * anchor's action-different sample under the same prompt, noise and timestep — so gradient differences reflect the
 * images only — then the method's mask on the anchor's gradient; masked gradients are averaged over micro-steps.
 */
final class StepRunner {
    private final TrainConfig config;
    private final PreparedData data;
    private final PromptTemplates templates;
    private final Trainer.Tokens tokens;
    private final Tokenizer tokenizer;
    private final LayerWiseObjective objective;
    private final DdpmTraining diffusion;
    private final GradientMasks masks;
    private final int layers;

    /** The averaged masked gradient [rows, D], losses per sample and kept fraction per mask and layer. */
    record Outcome(INDArray gradient, Map<String, Double> losses, Map<String, double[]> kept) {
    }

    StepRunner(TrainConfig config, PreparedData data, PromptTemplates templates, Trainer.Tokens tokens,
               Tokenizer tokenizer, LayerWiseObjective objective, DdpmTraining diffusion, GradientMasks masks, int layers) {
        this.config = config;
        this.data = data;
        this.templates = templates;
        this.tokens = tokens;
        this.tokenizer = tokenizer;
        this.objective = objective;
        this.diffusion = diffusion;
        this.masks = masks;
        this.layers = layers;
    }

    Outcome run(int step, INDArray v) {
        int micro = config.gradientAccumulationSteps();
        INDArray sum = Nd4j.zerosLike(v);
        Map<String, Double> losses = new LinkedHashMap<>();
        Map<String, double[]> kept = new LinkedHashMap<>();
        for (int m = 0; m < micro; m++) {
            Draw d = draw(step, m);
            List<LayerWiseObjective.Result> r = objective.evaluateSamples(d.ids(), tokens.placeholderId(),
                    perLayer(v), d.samples());
            INDArray gAnchor = toRows(r.get(0).gradV(), v);
            GradientMasks.Result masked;
            if (config.method().maskMethod().usesMasks()) {
                // a sample the method does not use stands in as the anchor itself: its mask is computed and ignored
                INDArray gContext = d.contextIndex() >= 0 ? toRows(r.get(1).gradV(), v) : gAnchor;
                INDArray gAction = d.hasAction() ? toRows(r.get(r.size() - 1).gradV(), v) : gAnchor;
                masked = masks.compute(gAnchor, gContext, gAction);
                if (config.method().needsContextSample()) add(kept, "context", masked.contextKeptPerRow(), micro);
                if (config.method().needsActionSample()) add(kept, "action", masked.actionKeptPerRow(), micro);
                add(kept, "mask", masked.maskKeptPerRow(), micro);
            } else {
                masked = masks.passThrough(gAnchor);
            }
            sum.addi(masked.maskedGradient());
            losses.merge("anchor", r.get(0).loss() / micro, Double::sum);
            if (d.contextIndex() >= 0) losses.merge("context", r.get(1).loss() / micro, Double::sum);
            if (d.hasAction()) losses.merge("action", r.get(r.size() - 1).loss() / micro, Double::sum);
        }
        return new Outcome(micro == 1 ? sum : sum.divi(micro), losses, kept);
    }

    /** The random choices of micro-step {@code m} of {@code step}, from (seed, step, m) alone. */
    private Draw draw(int step, int m) {
        SplittableRandom rng = Trainer.draw(config.seed(), step, m);
        int n = data.dataset().size();
        int anchor = rng.nextInt(n);
        int context = (anchor + 1 + rng.nextInt(n - 1)) % n;
        long drawIndex = (long) step * config.gradientAccumulationSteps() + m;
        boolean flip = data.dataset().flip(drawIndex, anchor);
        String prompt = templates.prompt(rng, config.placeholderToken(), data.dataset().example(anchor).caption());
        int t = rng.nextInt(diffusion.schedule().numTrainTimesteps());
        INDArray z = data.latent(anchor, flip);
        INDArray eps = Trainer.noise(rng.nextLong()).next(z.shape());
        List<LayerWiseObjective.Sample> samples = new ArrayList<>();
        samples.add(sample(z, eps, t));
        boolean useContext = config.method().needsContextSample();
        if (useContext) samples.add(sample(data.latent(context, flip), eps, t));
        boolean useAction = config.method().needsActionSample();
        if (useAction) samples.add(sample(data.actionLatent(anchor, flip), eps, t));
        return new Draw(tokenizer.encode(prompt), samples, useContext ? context : -1, useAction);
    }

    private record Draw(int[] ids, List<LayerWiseObjective.Sample> samples, int contextIndex, boolean hasAction) {
    }

    private LayerWiseObjective.Sample sample(INDArray z0, INDArray eps, int t) {
        int[] ts = {t};
        return new LayerWiseObjective.Sample(diffusion.addNoise(z0, eps, ts),
                Nd4j.createFromArray(new float[]{t}), diffusion.target(z0, eps, ts));
    }

    /** Layer-wise identifiers for the objective: a shared vector (Textual Inversion) repeated per layer. */
    private INDArray perLayer(INDArray v) {
        return v.size(0) == layers ? v : v.repeat(0, layers);
    }

    /** The gradient of v from the per-layer gradient: a shared vector collects every layer's gradient. */
    private static INDArray toRows(INDArray perLayerGrad, INDArray v) {
        return v.size(0) == perLayerGrad.size(0) ? perLayerGrad : perLayerGrad.sum(true, 0);
    }

    private static void add(Map<String, double[]> kept, String mask, double[] fractions, int micro) {
        double[] acc = kept.computeIfAbsent(mask, k -> new double[fractions.length]);
        for (int i = 0; i < fractions.length; i++) acc[i] += fractions[i] / micro;
    }
}
