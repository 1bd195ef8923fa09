package dev.adi4j.mini.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adi4j.adi.train.TrainListener;
import dev.adi4j.mini.base.MiniModelConfig;
import dev.adi4j.mini.base.MiniModelFolder;
import dev.adi4j.mini.base.MiniVocabulary;
import dev.adi4j.mini.judge.Judge;
import dev.adi4j.mini.world.Action;
import dev.adi4j.mini.world.CaptionPolicy;
import dev.adi4j.mini.world.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench's path end to end on a random tiny mini-world model (what it scores means nothing here; the CLI test in
 * {@code tests} runs the embedded, trained model): identifier methods train on the codec model with rendered
 * action-different samples, every test image is judged, the three files are written, a rerun reuses the runs and an
 * interrupted run resumes from its checkpoint.
 */
class MiniBenchTest {
    @Test
    void runsEveryKindOfMethodAndWritesTheTables(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        MiniModelFolder.writeRandom(model, MiniModelConfig.tiny(),
                MiniVocabulary.tokenizer(CaptionPolicy.DEFAULT, MiniModelConfig.tiny().contextLength()), 5);
        MiniBenchConfig config = new MiniBenchConfig(List.of(Action.HANDSTAND, Action.JUMPING), 2,
                List.of(Subject.MAN), List.of(Subject.MAN, Subject.CAT), 2,
                List.of("text-only", "ti", "adi", "custom-diffusion"), 0.5, List.of(0.25), 1, 5e-3, 1, 3.0, 1);
        Path out = dir.resolve("bench");
        List<String> lines = new ArrayList<>();
        MiniBench.Results r = new MiniBench(config, model, out, Judge.bundled(), lines::add, TrainListener.SILENT).run();
        MiniBenchReport.write(out, config, r, "judge");

        // 4 methods x (2 actions + overall); sweep: 1 beta x (2 actions + overall)
        assertEquals(12, r.rows().size());
        assertEquals(3, r.betaSweep().size());
        for (MiniBench.Row row : r.rows()) {
            int expected = row.action().equals(MiniBench.OVERALL) ? 8 : 4;
            assertEquals(expected, row.all().images(), row.toString());
            assertEquals(expected / 2, row.unseen().images(), "the cat never appears in an exemplar");
        }
        for (String m : List.of("ti", "adi", "custom-diffusion")) {
            Path run = out.resolve("actions/handstand").resolve(m);
            assertTrue(Files.isRegularFile(run.resolve(m.equals("custom-diffusion") ? "custom_diffusion.safetensors"
                    : "identifiers.safetensors")), m);
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve(MiniBenchReport.JSON).toFile());
        JsonNode first = json.get("rows").get(0);
        for (String key : List.of("method", "action", "subject", "total", "images")) assertTrue(first.has(key), key);
        assertEquals("text-only", first.get("method").asText());
        assertEquals("handstand", first.get("target").asText());
        assertTrue(Files.readString(out.resolve(MiniBenchReport.MARKDOWN)).contains("| adi beta=0.25 | overall |"));
        String html = Files.readString(out.resolve(MiniBenchReport.HTML));
        assertTrue(html.contains("actions/handstand/adi/images/grid.png"), html);
        assertTrue(Files.isRegularFile(out.resolve("actions/handstand/adi/images/grid.png")));

        lines.clear();
        new MiniBench(config, model, out, Judge.bundled(), lines::add, TrainListener.SILENT).run();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("training")), "a rerun reuses finished runs: " + lines);

        // a run interrupted after its checkpoint (no identifiers written yet) resumes from it instead of step 0
        Files.delete(out.resolve("actions/handstand/adi/identifiers.safetensors"));
        List<String> messages = new ArrayList<>();
        TrainListener listener = new TrainListener() {
            @Override
            public void message(String line) { messages.add(line); }
        };
        new MiniBench(config, model, out, Judge.bundled(), l -> { }, listener).run();
        assertTrue(messages.stream().anyMatch(l -> l.startsWith("resumed from")), messages.toString());
        assertTrue(Files.isRegularFile(out.resolve("actions/handstand/adi/identifiers.safetensors")));
    }
}
