package dev.adi4j.mini.judge;

/**
 * How a judge is trained: {@code steps} AdamW steps on batches of freshly rendered images of every subject and every
 * action (standing included), learning rate warmed up then cosine-decayed; measured on {@code evalCount} images
 * rendered from {@code evalSeed}, which training never draws.
 */
public record JudgeTrainConfig(int steps, int batch, double learningRate, double weightDecay, long seed,
                               int poolSize, int freshPerStep, long evalSeed, int evalCount, int logEvery,
                               int evalEvery) {
    public JudgeTrainConfig {
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (poolSize < batch) throw new IllegalArgumentException("the pool (" + poolSize + ") must hold a batch (" + batch + ")");
        if (freshPerStep < 0) throw new IllegalArgumentException("freshPerStep must be >= 0, got " + freshPerStep);
        if (evalCount < 1) throw new IllegalArgumentException("evalCount must be >= 1, got " + evalCount);
        if (logEvery < 1) throw new IllegalArgumentException("logEvery must be >= 1, got " + logEvery);
        if (evalEvery < 0) throw new IllegalArgumentException("evalEvery must be >= 0 (0: only at the end)");
        if (seed == evalSeed) throw new IllegalArgumentException("the evaluation seed must differ from the training seed");
    }

    /**
     * The committed judge's settings: batch 64 from a pool of 4608 images (64 per subject x action) with 16 of them
     * re-rendered per step; 1152 = 16 x 72 evaluation images, every subject x action 16 times.
     */
    public static JudgeTrainConfig standard() {
        return new JudgeTrainConfig(900, 64, 3e-3, 1e-4, 1, 4608, 16, 1_000_003, 1152, 25, 300);
    }

    public JudgeTrainConfig withSteps(int s) {
        return new JudgeTrainConfig(s, batch, learningRate, weightDecay, seed, poolSize, freshPerStep, evalSeed,
                evalCount, logEvery, evalEvery);
    }
}
