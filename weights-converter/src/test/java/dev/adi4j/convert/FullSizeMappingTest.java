package dev.adi4j.convert;

import dev.adi4j.core.model.Component;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rename rules against the full-size SD 2.1 manifests (made with diffusers' own converters): every
 * original key of the UNet, VAE and text encoder gives exactly the listed diffusers/transformers key(s), with
 * the listed shapes, and nothing but the documented keys is dropped.
 */
class FullSizeMappingTest {
    private static SingleFileLayout.Plan plan;
    private static Map<String, long[]> original;

    @BeforeAll
    static void planFullSize() {
        original = new LinkedHashMap<>();
        original.putAll(Fixtures.shapes(Fixtures.manifest("sd21-unet-original.tsv")));
        original.putAll(Fixtures.shapes(Fixtures.manifest("sd21-vae-original.tsv")));
        original.putAll(Fixtures.shapes(Fixtures.manifest("sd21-text-encoder-original.tsv")));
        plan = SingleFileLayout.plan(Path.of("sd21-full.safetensors"), original,
                ModelConfigs.builtIn(ModelConfigs.BuiltIn.SD21).geometry());
    }

    private static Map<String, PlannedTensor> byTarget(Component c) {
        Map<String, PlannedTensor> m = new HashMap<>();
        for (PlannedTensor p : plan.of(c)) m.put(p.target(), p);
        return m;
    }

    @Test
    void unetEveryMappingRow() {
        checkCopyRows(Component.UNET, "sd21-unet-mapping.tsv", "sd21-unet-diffusers.tsv");
    }

    @Test
    void vaeEveryMappingRowWithTheConvToLinearShapes() {
        checkCopyRows(Component.VAE, "sd21-vae-mapping.tsv", "sd21-vae-diffusers.tsv");
        Map<String, PlannedTensor> vae = byTarget(Component.VAE);
        List<String[]> diffs = Fixtures.rows(Fixtures.manifest("sd21-shape-differences.tsv"));
        assertEquals(8, diffs.size());
        for (String[] r : diffs) {
            PlannedTensor p = vae.get(r[1]);
            assertNotNull(p, r[1]);
            assertEquals(r[2], p.source());
            assertEquals(Transform.SQUEEZE_1X1, p.transform());
            assertArrayEquals(Fixtures.parseShape(r[3]), p.shape(), r[1]);
            assertArrayEquals(Fixtures.parseShape(r[4]), original.get(r[2]), r[2]);
        }
    }

    private void checkCopyRows(Component c, String mapping, String diffusersManifest) {
        Map<String, PlannedTensor> planned = byTarget(c);
        Map<String, long[]> diffusersShapes = Fixtures.shapes(Fixtures.manifest(diffusersManifest));
        List<String[]> rows = Fixtures.rows(Fixtures.manifest(mapping));
        for (String[] r : rows) {
            PlannedTensor p = planned.get(r[0]);
            assertNotNull(p, "no output for " + r[0]);
            assertEquals(r[1], p.source(), r[0]);
            assertArrayEquals(diffusersShapes.get(r[0]), p.shape(), r[0]);
        }
        assertEquals(rows.size(), planned.size(), "extra outputs: only the mapping rows may be produced");
        assertEquals(diffusersShapes.keySet(), planned.keySet());
    }

    private static final Pattern SPLIT = Pattern.compile("split rows \\[(\\d+):(\\d+)\\].*");

    @Test
    void textEncoderEveryMappingRowIncludingSplitsAndPositionIds() {
        Map<String, PlannedTensor> planned = byTarget(Component.TEXT_ENCODER);
        Map<String, long[]> transformers = Fixtures.shapes(Fixtures.manifest("sd21-text-encoder-transformers.tsv"));
        int splits = 0;
        for (String[] r : Fixtures.rows(Fixtures.manifest("sd21-text-encoder-mapping.tsv"))) {
            String target = r[0];
            String source = r[1];
            String note = r[2];
            if (target.equals("-")) {
                assertTrue(plan.dropped().containsKey(source), source + " should be dropped: " + note);
                continue;
            }
            if (target.equals(TextKeys.POSITION_IDS)) {
                // the optional int64 buffer is not in the original file and not written (float-only output)
                assertFalse(planned.containsKey(target));
                continue;
            }
            PlannedTensor p = planned.get(target);
            assertNotNull(p, "no output for " + target);
            assertArrayEquals(transformers.get(target), p.shape(), target);
            Matcher m = SPLIT.matcher(note);
            if (note.equals("copy")) {
                assertEquals(source, p.source(), target);
                assertEquals(Transform.COPY, p.transform(), target);
            } else if (m.matches()) {
                splits++;
                assertEquals(source, p.source(), target);
                long begin = Long.parseLong(m.group(1));
                long end = Long.parseLong(m.group(2));
                long d = end - begin;
                Transform expected = List.of(Transform.SPLIT_Q, Transform.SPLIT_K, Transform.SPLIT_V).get((int) (begin / d));
                assertEquals(expected, p.transform(), target);
            } else {
                fail("unexpected note " + note + " for " + target);
            }
        }
        assertEquals(23 * 6, splits);
        Set<String> expectedKeys = new TreeSet<>(transformers.keySet());
        expectedKeys.remove(TextKeys.POSITION_IDS);
        assertEquals(expectedKeys, new TreeSet<>(planned.keySet()));
    }

    @Test
    void onlyTheDocumentedKeysAreDropped() throws Exception {
        var summary = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Fixtures.manifest("sd21-text-encoder-summary.json").toFile());
        Set<String> documented = new TreeSet<>();
        summary.get("dropped_original_keys").forEach(n -> documented.add(n.asText()));
        assertEquals(documented, new TreeSet<>(plan.dropped().keySet()));
        Set<String> used = plan.tensors().values().stream().flatMap(List::stream)
                .map(PlannedTensor::source).collect(Collectors.toSet());
        for (String k : original.keySet()) {
            assertTrue(used.contains(k) ^ plan.dropped().containsKey(k), k + " must be either converted or dropped");
        }
    }

    @Test
    void outputsAreExactlyWhatTheNetworksDeclare() {
        ModelConfigs sd21 = ModelConfigs.builtIn(ModelConfigs.BuiltIn.SD21);
        for (Component c : Component.values()) {
            Map<String, long[]> expected = ExpectedParameters.of(c, sd21);
            Map<String, long[]> actual = new HashMap<>();
            for (PlannedTensor p : plan.of(c)) actual.put(p.target(), p.shape());
            assertEquals(List.of(), ExpectedParameters.compare(c, expected, actual), c.folder());
        }
    }

    @Test
    void extraCheckpointKeysOnTheDropListAreDroppedOthersAreReported() {
        Map<String, long[]> withExtras = new LinkedHashMap<>(original);
        withExtras.put("model_ema.decay", new long[0]);
        withExtras.put("model_ema.diffusion_modelinput_blocks00weight", new long[]{320, 4, 3, 3});
        withExtras.put("alphas_cumprod", new long[]{1000});
        withExtras.put("betas", new long[]{1000});
        SingleFileLayout.Plan p = SingleFileLayout.plan(Path.of("x.safetensors"), withExtras,
                ModelConfigs.builtIn(ModelConfigs.BuiltIn.SD21).geometry());
        assertEquals(plan.dropped().size() + 4, p.dropped().size());
        withExtras.put("model.diffusion_model.input_blocks.1.0.extra.weight", new long[]{4});
        withExtras.put("cond_stage_model.model.visual.proj", new long[]{4});
        ConversionException e = org.junit.jupiter.api.Assertions.assertThrows(ConversionException.class,
                () -> SingleFileLayout.plan(Path.of("x.safetensors"), withExtras,
                        ModelConfigs.builtIn(ModelConfigs.BuiltIn.SD21).geometry()));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("x.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("'model.diffusion_model.input_blocks.1.0.extra.weight': unknown key"), e.getMessage());
        assertTrue(e.getMessage().contains("'cond_stage_model.model.visual.proj': unknown key"), e.getMessage());
    }
}
