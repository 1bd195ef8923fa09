package dev.adi4j.mini.judge;

import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.MiniDataset;
import dev.adi4j.mini.world.Sample;
import dev.adi4j.mini.world.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JudgeTest {
    @TempDir
    Path dir;

    @Test
    void saveThenLoadPredictsIdentically() throws Exception {
        Judge judge = new Judge(JudgeNet.initialised(JudgeConfig.standard(), Judge.BATCH, 3), card());
        List<BufferedImage> images = MiniDataset.generate(9, 70, JudgeTrainer.everything(), CaptionPolicy.DEFAULT)
                .stream().map(s -> s.render(32)).toList();
        judge.save(dir);
        Judge loaded = Judge.load(dir);
        List<Prediction> before = judge.classify(images), after = loaded.classify(images);
        assertEquals(70, after.size());
        assertEquals(before, after);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i).subjectProbabilities(), after.get(i).subjectProbabilities(), "image " + i);
            assertArrayEquals(before.get(i).actionProbabilities(), after.get(i).actionProbabilities(), "image " + i);
            assertEquals(before.get(i).subject(), after.get(i).subject());
            assertEquals(before.get(i).action(), after.get(i).action());
        }
        assertEquals(card(), loaded.card());
    }

    @Test
    void classifyRefusesImagesOfAnotherSize() {
        Judge judge = new Judge(JudgeNet.initialised(JudgeConfig.standard(), Judge.BATCH, 3), card());
        Sample s = MiniDataset.generate(1, 1, JudgeTrainer.everything(), CaptionPolicy.DEFAULT).get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> judge.classify(List.of(s.render(32), s.render(64))));
        assertTrue(e.getMessage().contains("image 1 is 64x64") && e.getMessage().contains("32x32"), e.getMessage());
    }

    @Test
    void probabilitiesAreDistributionsOverAllClasses() {
        Judge judge = new Judge(JudgeNet.initialised(JudgeConfig.standard(), Judge.BATCH, 3), card());
        Prediction p = judge.classify(List.of(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB))).get(0);
        assertEquals(Subject.values().length, p.subjectProbabilities().length);
        assertEquals(Action.values().length, p.actionProbabilities().length);
        double sum = 0;
        for (float v : p.actionProbabilities()) sum += v;
        assertEquals(1.0, sum, 1e-5);
    }

    private static JudgeCard card() {
        return new JudgeCard(JudgeCard.FORMAT, Arrays.stream(Subject.values()).map(Enum::name).toList(),
                Arrays.stream(Action.values()).map(Enum::name).toList(), JudgeConfig.standard(),
                JudgeTrainConfig.standard(), 0, Double.NaN, 0, new Evaluation.Accuracy(0, 0, 0, 1), "test");
    }
}
