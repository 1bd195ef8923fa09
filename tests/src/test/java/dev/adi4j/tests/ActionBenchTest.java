package dev.adi4j.tests;

import dev.adi4j.actionbench.Annotations;
import dev.adi4j.actionbench.BenchIndex;
import dev.adi4j.actionbench.Scoring;
import dev.adi4j.cli.Main;
import dev.adi4j.testsupport.Captured;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code adi actionbench} on tiny-sd: 2 actions x 3 subjects x 1 seed with the text-only baseline, P+ and ADI
 * (1-2 training steps at 64 px); a run, the same run as 2 shards merged (same index, same image bytes), a rerun
 * that does nothing, scoring with two annotators and a judge, and the bad inputs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActionBenchTest {
    static final Path TINY = Shared.tinySd();
    @TempDir
    static Path dir;
    static Path bench;

    static Captured adi(String... args) {
        return Captured.run(() -> Main.run(args));
    }

    /** A bench file over two tiny action folders (written beside them, folders relative). */
    static Path benchFile(Path dir, String name, String extra) throws Exception {
        for (String a : List.of("arms-up", "wave")) {
            if (!Files.isDirectory(dir.resolve(a))) {
                ActionFolders.exemplars(dir.resolve(a), 3);
                ActionFolders.actionDifferent(dir.resolve(a + "-other"), 3);
            }
        }
        String json = """
                {
                  "format": "adi4j-actionbench/1",
                  "prompt_template": "a photo of {subject} {action}",
                  "seeds": [7],
                  "generation": {"steps": 2, "guidance": 7.5, "width": 64, "height": 64},
                  "actions": [
                    {"name": "arms-up", "exemplars": "arms-up", "description": "raising both arms", "action_different": "arms-up-other"},
                    {"name": "wave", "exemplars": "wave", "description": "waving", "action_different": "wave-other"}
                  ],
                  "subjects": ["a man", "a panda", "a dog"],
                  "methods": [
                    {"name": "text"},
                    {"name": "pplus", "train": {"max_train_steps": 1, "resolution": 64, "checkpointing_steps": 1}},
                    {"name": "adi", "train": {"max_train_steps": 1, "resolution": 64}}
                  ]%s
                }
                """.formatted(extra);
        Path f = dir.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    @BeforeAll
    static void setUp() throws Exception {
        bench = benchFile(dir, "bench.json", "");
    }

    @Test
    @Order(1)
    void oneRunEqualsTwoShardsMerged() throws Exception {
        Path all = dir.resolve("all");
        Captured r = adi("actionbench", "run", "--bench", bench.toString(), "--model", TINY.toString(), "--out", all.toString());
        assertEquals(0, r.code(), r.all());
        BenchIndex index = BenchIndex.read(all);
        assertEquals(18, index.items().size());
        assertTrue(Files.isRegularFile(all.resolve("sheets/arms-up-seed7.png")));
        assertTrue(Files.isRegularFile(all.resolve("runs/adi/wave/identifiers.safetensors")));
        assertFalse(Files.exists(all.resolve("runs/text")), "the text-only baseline trains nothing");
        assertTrue(index.items().stream().anyMatch(e -> e.prompt().equals("a photo of a panda waving")));
        assertTrue(index.items().stream().anyMatch(e -> e.prompt().equals("a photo of a panda <wave>")));

        // a rerun finds everything done: no training, no image, the same index
        byte[] indexBefore = Files.readAllBytes(all.resolve("index.json"));
        Captured again = adi("actionbench", "run", "--bench", bench.toString(), "--model", TINY.toString(), "--out", all.toString());
        assertEquals(0, again.code(), again.all());
        assertFalse(again.err().contains("training") || again.err().contains("loading"), again.err());
        assertArrayEquals(indexBefore, Files.readAllBytes(all.resolve("index.json")));

        // a killed run loses at most the image in flight: delete one image and a training marker, rerun
        BenchIndex.Entry victim = index.items().get(10);
        byte[] victimBytes = Files.readAllBytes(all.resolve(victim.file()));
        Files.delete(all.resolve(victim.file()));
        Captured resumed = adi("actionbench", "run", "--bench", bench.toString(), "--model", TINY.toString(), "--out", all.toString());
        assertEquals(0, resumed.code(), resumed.all());
        assertTrue(resumed.err().contains("reusing"), resumed.err());
        assertArrayEquals(victimBytes, Files.readAllBytes(all.resolve(victim.file())));

        List<Path> shards = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path s = dir.resolve("shard" + i);
            Captured c = adi("actionbench", "run", "--bench", bench.toString(), "--model", TINY.toString(), "--out", s.toString(),
                    "--shard", i + "/2");
            assertEquals(0, c.code(), c.all());
            assertEquals(9, BenchIndex.read(s).items().size());
            shards.add(s);
        }
        Path merged = dir.resolve("merged");
        Captured m = adi("actionbench", "merge", "--out", merged.toString(), shards.get(0).toString(), shards.get(1).toString());
        assertEquals(0, m.code(), m.all());
        assertEquals(Files.readString(all.resolve("index.json")), Files.readString(merged.resolve("index.json")));
        for (BenchIndex.Entry e : index.items()) {
            assertArrayEquals(Files.readAllBytes(all.resolve(e.file())), Files.readAllBytes(merged.resolve(e.file())), e.file());
        }
    }

    @Test
    @Order(2)
    void scoreWithTwoAnnotatorsAndAJudge() throws Exception {
        Path all = dir.resolve("all");
        BenchIndex index = BenchIndex.read(all);
        // alice: every image shows the subject, the action only for adi; bob agrees except on the text baseline's action
        for (String name : List.of("alice", "bob", "judge-oracle")) {
            Annotations a = Annotations.load(all, name, index.benchSha256());
            List<String> order = Annotations.order(index, name);
            for (String id : order) {
                BenchIndex.Entry e = index.byId().get(id);
                boolean action = e.method().equals("adi") || (name.equals("bob") && e.method().equals("text"));
                a = a.answer(id, "action", action, order).answer(id, "subject", true, order);
            }
            a.save(all);
            if (!name.startsWith("judge")) assertNotEquals(index.items().stream().map(BenchIndex.Entry::id).toList(), order);
        }
        assertEquals(Annotations.order(index, "alice"), Annotations.order(index, "alice"));
        Captured s = adi("actionbench", "score", "--out", all.toString());
        assertEquals(0, s.code(), s.all());
        Scoring.Score score = Scoring.score(all);
        Scoring.Table humans = score.tables().get(0);
        assertEquals("humans", humans.source());
        assertEquals(100.0, humans.perMethod().get("adi").total());
        assertEquals(0.0, humans.perMethod().get("pplus").action());
        assertEquals(50.0, humans.perMethod().get("text").action());
        assertEquals(100.0, humans.perMethod().get("text").subject());
        assertEquals(12, humans.perMethod().get("adi").judged());
        assertEquals(100.0, humans.perAction().get("adi").get("wave").action());
        assertEquals("judge-oracle", score.tables().get(1).source());
        // action answers: 12 of 18 images agree (both yes or both no), 6 split -> Fleiss' kappa 1/3 by hand:
        // P-bar = 12/18, p_yes = (6*2 + 6*1)/36 = 1/2, Pe = 1/2, kappa = (2/3 - 1/2) / (1/2) = 1/3
        assertEquals(1.0 / 3, score.agreement().action(), 1e-12);
        assertNull(score.agreement().subject(), "everyone said yes: kappa undefined");
        String md = Files.readString(all.resolve("score.md"));
        assertTrue(md.contains("| adi | 100.00 | 100.00 | 100.00 | 12 |"), md);
        String html = Files.readString(all.resolve("score.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("sheets/arms-up-seed7.png"), html.substring(0, 300));
        assertTrue(Files.isRegularFile(all.resolve("score.json")));
    }

    @Test
    void badInputsAreOneLineErrors() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Path unknown = benchFile(bad, "unknown.json", ",\n  \"image_per_pair\": 2");
        Captured u = adi("actionbench", "run", "--bench", unknown.toString(), "--model", TINY.toString(), "--out", bad.resolve("o1").toString());
        assertEquals(1, u.code(), u.all());
        assertTrue(u.err().contains("unknown.json: unknown field 'image_per_pair'"), u.err());

        String text = Files.readString(unknown).replace(",\n  \"image_per_pair\": 2", "").replace("\"exemplars\": \"wave\"", "\"exemplars\": \"nowhere\"");
        Path missing = bad.resolve("missing.json");
        Files.writeString(missing, text);
        Captured mi = adi("actionbench", "run", "--bench", missing.toString(), "--model", TINY.toString(), "--out", bad.resolve("o2").toString());
        assertEquals(1, mi.code(), mi.all());
        assertTrue(mi.err().contains("field 'actions[1].exemplars' folder") && mi.err().contains("nowhere does not exist"), mi.err());

        String nested = Files.readString(unknown).replace(",\n  \"image_per_pair\": 2", "").replace("\"resolution\": 64}", "\"resolution\": 64, \"lr\": 1}");
        Path n = bad.resolve("nested.json");
        Files.writeString(n, nested);
        Captured ne = adi("actionbench", "run", "--bench", n.toString(), "--model", TINY.toString(), "--out", bad.resolve("o3").toString());
        assertTrue(ne.err().contains("unknown field 'lr' in methods["), ne.err());

        // an action folder the trainer would refuse: one image only
        Path lonely = bad.resolve("wave");
        Files.delete(lonely.resolve("person1.png"));
        Files.delete(lonely.resolve("person2.png"));
        Files.writeString(lonely.resolve("captions.txt"), "person0.png\ta person in red\n");
        Path ok = benchFile(bad, "one-image.json", "");
        Captured one = adi("actionbench", "run", "--bench", ok.toString(), "--model", TINY.toString(), "--out", bad.resolve("o4").toString());
        assertEquals(1, one.code(), one.all());
        assertTrue(one.err().contains("action 'wave'") && one.err().contains("only 1 image"), one.err());
        assertEquals(1, one.err().strip().lines().filter(l -> l.contains("error")).count(), one.err());

        // shards of different bench files are not merged
        Path a = bad.resolve("sa");
        Path b = bad.resolve("sb");
        Files.createDirectories(a);
        Files.createDirectories(b);
        Files.copy(bench, a.resolve("bench.json"));
        Files.writeString(b.resolve("bench.json"), Files.readString(bench).replace("[7]", "[8]"));
        for (Path s : List.of(a, b)) {
            String sha = dev.adi4j.actionbench.BenchFile.load(s.resolve("bench.json"), false).sha256();
            Files.writeString(s.resolve("index.json"), "{\"format\":\"adi4j-actionbench-index/1\",\"bench_sha256\":\"" + sha
                    + "\",\"subjects\":[],\"actions\":[],\"methods\":[],\"items\":[]}");
        }
        Captured mg = adi("actionbench", "merge", "--out", bad.resolve("m").toString(), a.toString(), b.toString());
        assertEquals(1, mg.code(), mg.all());
        assertTrue(mg.err().contains("was run from another bench file"), mg.err());

        Captured sh = adi("actionbench", "run", "--bench", bench.toString(), "--model", TINY.toString(), "--out", bad.resolve("o5").toString(), "--shard", "2/2");
        assertEquals(1, sh.code(), sh.all());
        assertTrue(sh.err().contains("--shard 2/2"), sh.err());
    }
}
