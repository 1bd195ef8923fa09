package dev.adi4j.mini.judge;

import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.MiniDataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class BundledJudgeTest {
    @Test
    void bundledJudgeMeetsTheSpecOnNewRenders() {
        Judge judge = Judge.bundled();
        assertTrue(judge.card().accuracy().subject() >= 0.95 && judge.card().accuracy().action() >= 0.95,
                "card: " + judge.card().accuracy());
        // 144 = every subject x action twice, from a seed neither training nor the card's evaluation used
        Evaluation e = Evaluation.of(judge, MiniDataset.generate(77, 144, JudgeTrainer.everything(),
                CaptionPolicy.DEFAULT));
        assertTrue(e.accuracy().subject() >= 0.9 && e.accuracy().action() >= 0.9, e.summary());
    }
}
