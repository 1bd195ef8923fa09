package dev.adi4j.adi.mask;

import dev.adi4j.testsupport.Shared;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adi4j.core.safetensors.SafetensorsReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replays every case of fixtures/adi_cases.json through {@link AdiUpdateReplay}. */
class AdiUpdateGoldenTest {
    static final Path FIXTURES = Shared.root().resolve("fixtures")
            .toAbsolutePath().normalize();

    record Case(String name, Path file, AdiUpdateReplay.Params params, List<String> outputs, double tol) {
    }

    @SuppressWarnings("unchecked")
    static List<Case> cases() throws IOException {
        Map<String, Object> index = new ObjectMapper().readValue(FIXTURES.resolve("adi_cases.json").toFile(), Map.class);
        assertEquals("adi4j-golden-cases/1", index.get("format"));
        List<Case> out = new ArrayList<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) index.get("cases")) {
            assertEquals("adi_update", c.get("kind"), "kind of " + c.get("name"));
            out.add(new Case((String) c.get("name"), FIXTURES.resolve((String) c.get("file")),
                    AdiUpdateReplay.Params.fromJson((Map<String, Object>) c.get("params")),
                    (List<String>) c.get("outputs"), ((Number) c.get("tolerance")).doubleValue()));
        }
        assertFalse(out.isEmpty(), "adi_cases.json lists no case");
        return out;
    }

    @TestFactory
    List<DynamicTest> everyCaseMatches() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c)));
        }
        return tests;
    }

    private static void check(Case c) {
        Map<String, INDArray> actual = AdiUpdateReplay.replay(c.file(), c.params());
        assertEquals(5 * c.params().steps(), c.outputs().size(), c.name() + ": outputs listed");
        try (SafetensorsReader r = SafetensorsReader.open(c.file())) {
            for (String o : c.outputs()) {
                INDArray a = actual.get(o);
                assertNotNull(a, c.name() + ": replay does not produce " + o);
                INDArray e = r.loadFloat(o);
                assertArrayEquals(e.shape(), a.shape(), c.name() + "/" + o + ": shape");
                if (o.contains("mask")) {
                    long wrong = a.neq(e).castTo(DataType.INT).sumNumber().longValue();
                    assertEquals(0, wrong, c.name() + "/" + o + ": channels whose mask differs");
                } else {
                    double scale = Math.max(e.amaxNumber().doubleValue(), 1e-3);
                    double diff = a.castTo(DataType.DOUBLE).sub(e.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
                    assertTrue(diff <= c.tol() * scale, c.name() + "/" + o + ": max|actual - expected| = " + diff
                            + " exceeds " + c.tol() + " * " + scale);
                }
            }
        }
    }

    /** The comparison can fail: a different masking ratio must change some golden mask. */
    @Test
    void wrongBetaIsDetected() throws IOException {
        Case c = cases().stream().filter(k -> k.params().method() == MaskMethod.ADI).findFirst().orElseThrow();
        AdiUpdateReplay.Params p = c.params();
        AdiUpdateReplay.Params wrong = new AdiUpdateReplay.Params(p.method(), p.beta() + 0.1, p.scope(), p.steps(),
                p.lr(), p.beta1(), p.beta2(), p.eps(), p.weightDecay());
        Map<String, INDArray> actual = AdiUpdateReplay.replay(c.file(), wrong);
        try (SafetensorsReader r = SafetensorsReader.open(c.file())) {
            assertFalse(actual.get("step0.mask").equals(r.loadFloat("step0.mask")));
        }
    }

    @Test
    void paramsFromJsonAcceptsStringsAndRejectsOtherOptimizers() {
        Map<String, Object> json = new HashMap<>(Map.of("method", "adi-union", "beta", "0.25",
                "scope", "global", "steps", 2, "lr", 0.005, "beta1", 0.9, "beta2", "0.999", "eps", 1e-8,
                "weight_decay", 0.01));
        AdiUpdateReplay.Params p = AdiUpdateReplay.Params.fromJson(json);
        assertEquals(new AdiUpdateReplay.Params(MaskMethod.ADI_UNION, 0.25, MaskScope.GLOBAL, 2, 0.005, 0.9, 0.999,
                1e-8, 0.01), p);
        json.put("optimizer", "sgd");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdiUpdateReplay.Params.fromJson(json));
        assertTrue(e.getMessage().contains("adamw"), e.getMessage());
        json.put("optimizer", "adamw");
        json.put("steps", 1.5);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AdiUpdateReplay.Params.fromJson(json)).getMessage().contains("steps"));
        json.remove("steps");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AdiUpdateReplay.Params.fromJson(json)).getMessage().contains("params.steps is missing"));
    }
}
