package dev.adi4j.harness.golden;

import dev.adi4j.adi.mask.AdiUpdateReplay;
import dev.adi4j.core.safetensors.SafetensorsReader;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Kind {@code adi_update}: the ADI update rule (masks, merge, AdamW) replayed from a case's inputs with the case's
 * {@code params}; masks are 0/1, so the tolerance rule makes them match exactly.
 */
public final class AdiUpdateGoldenCases {
    public static final String KIND = "adi_update";

    private AdiUpdateGoldenCases() {
    }

    public static List<CaseResult> run(GoldenCase c, Path root) {
        if (c.params().isEmpty()) {
            return List.of(CaseResult.failure(c.name(), "", "an adi_update case needs params (method, beta, scope, steps, lr, ...)"));
        }
        Path file = root.resolve(c.file());
        Map<String, INDArray> actual = AdiUpdateReplay.replay(file, AdiUpdateReplay.Params.fromJson(c.params()));
        try (SafetensorsReader golden = SafetensorsReader.open(file)) {
            return Compare.outputs(c.name(), KIND, c.outputs(), actual, golden::loadFloat, c.tol());
        }
    }
}
