package dev.adi4j.mini.judge;

import java.util.List;

/**
 * What a saved judge is: its classes (in output order), architecture and how it was trained and measured. Written as
 * {@code judge.json} beside {@code judge.safetensors}.
 */
public record JudgeCard(int format, List<String> subjects, List<String> actions, JudgeConfig config,
                        JudgeTrainConfig training, long steps, double finalLoss, double seconds,
                        Evaluation.Accuracy accuracy, String command) {
    public static final int FORMAT = 1;
}
