package dev.adi4j.mini.judge;

import java.util.List;

/**
 * The judge's architecture: one stage per width, each a stride-2 3x3 convolution followed by {@code convsPerStage - 1}
 * stride-1 ones (GroupNorm and SiLU after each), global average pooling and two linear heads.
 */
public record JudgeConfig(int imageSize, List<Integer> widths, int convsPerStage, int groups) {
    public JudgeConfig {
        widths = List.copyOf(widths);
        if (imageSize < 4) throw new IllegalArgumentException("image size must be >= 4, got " + imageSize);
        if (widths.isEmpty()) throw new IllegalArgumentException("a judge needs at least one stage");
        if (convsPerStage < 1) throw new IllegalArgumentException("convsPerStage must be >= 1, got " + convsPerStage);
        for (int w : widths) {
            if (w % groups != 0) throw new IllegalArgumentException("width " + w + " not divisible by " + groups + " groups");
        }
    }

    /**
     * 32x32 in, 32-64-96 channels, the first two stages with a second convolution: ~120k parameters (under 500 KB as
     * float32, small enough to commit) and the third stage narrower than 128 for the same reason.
     */
    public static JudgeConfig standard() {
        return new JudgeConfig(32, List.of(32, 64, 96), 2, 8);
    }
}
