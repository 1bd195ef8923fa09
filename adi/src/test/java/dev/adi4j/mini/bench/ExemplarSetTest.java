package dev.adi4j.mini.bench;

import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.Renderer;
import dev.adi4j.mini.world.Scene;
import dev.adi4j.mini.world.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExemplarSetTest {
    private static final List<Subject> PEOPLE = List.of(Subject.MAN, Subject.WOMAN, Subject.CHILD, Subject.ROBOT);

    @Test
    void exemplarsShowTheActionOnTheGivenSubjectsAndTheirPairsOnlyChangeTheAction() {
        ExemplarSet set = ExemplarSet.of(Action.HANDSTAND, 1, 10, PEOPLE, CaptionPolicy.DEFAULT);
        assertEquals(10, set.exemplars().size());
        assertEquals(Set.copyOf(PEOPLE), Set.copyOf(set.subjects()), "10 exemplars cover all four subjects");
        for (int i = 0; i < 10; i++) {
            Scene a = set.exemplars().get(i).scene(), d = set.actionDifferent().get(i);
            assertEquals(Action.HANDSTAND, a.action());
            assertNotEquals(a.action(), d.action());
            assertFalse(CaptionPolicy.DEFAULT.isHeldOut(d.action()), "the other action must be one the model knows by name");
            assertEquals(a.subject(), d.subject());
            assertEquals(a.color(), d.color());
            assertEquals(a.background(), d.background());
            assertEquals(a.jitter(), d.jitter());
        }
        assertEquals(set, ExemplarSet.of(Action.HANDSTAND, 1, 10, PEOPLE, CaptionPolicy.DEFAULT), "deterministic");
    }

    @Test
    void writesImagesAppearanceCaptionsAndActionDifferentSamplesUnderTheSameNames(@TempDir Path dir) throws Exception {
        ExemplarSet set = ExemplarSet.of(Action.JUMPING, 3, 4, PEOPLE, CaptionPolicy.DEFAULT);
        set.write(dir, Renderer.TRAINING_SIZE);
        List<String> captions = Files.readAllLines(dir.resolve(ExemplarSet.IMAGES).resolve("captions.txt"));
        assertEquals(4, captions.size());
        for (int i = 0; i < 4; i++) {
            String name = String.format("%02d.png", i);
            Scene scene = set.exemplars().get(i).scene();
            assertEquals(name + "\t" + ExemplarSet.appearance(scene), captions.get(i));
            assertTrue(captions.get(i).endsWith(scene.color().word() + " " + scene.subject().word()), captions.get(i));
            assertEquals(32, ImageIO.read(dir.resolve(ExemplarSet.IMAGES).resolve(name).toFile()).getWidth());
            assertTrue(Files.isRegularFile(dir.resolve(ExemplarSet.ACTION_DIFFERENT).resolve(name)));
        }
    }
}
