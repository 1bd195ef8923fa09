package dev.adi4j.harness.golden;

import dev.adi4j.testsupport.Shared;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VAE golden cases of cases.json, plus the intermediate tensors the golden files also hold. */
class VaeGoldenTest {
    private static final double TOL = 1e-4;

    @Test
    void casesOfTheIndexPass() throws IOException {
        Path index = Shared.fixtures().resolve("cases.json");
        JsonNode cases = new ObjectMapper().readTree(index.toFile()).get("cases");
        List<CaseResult> results = new ArrayList<>();
        int vaeCases = 0;
        for (JsonNode c : cases) {
            String kind = c.get("kind").asText();
            if (!kind.startsWith("vae_")) continue;
            vaeCases++;
            Path file = index.getParent().resolve(c.get("file").asText());
            Path model = index.getParent().resolve(c.get("model").asText());
            List<String> outputs = new ArrayList<>();
            c.get("outputs").forEach(o -> outputs.add(o.asText()));
            double tol = c.get("tolerance").asDouble();
            switch (kind) {
                case "vae_encode" -> results.addAll(VaeGoldenCases.encode(file, model, outputs, tol));
                case "vae_decode" -> results.addAll(VaeGoldenCases.decode(file, model, outputs, tol));
                default -> throw new AssertionError("unknown VAE case kind " + kind);
            }
        }
        assertEquals(3, vaeCases, "vae_encode + vae_decode + vae_decode_nonsquare in cases.json");
        assertAllPass(results, 5 + 1 + 1);
    }

    @Test
    void intermediateEncodeTensorsMatch() {
        assertAllPass(VaeGoldenCases.encode(Shared.golden("vae_encode.safetensors"), Shared.tinySd().resolve("vae"),
                List.of("encoder_output", "std", "var", "latent_mode_scaled"), TOL), 4);
    }

    @Test
    void intermediateDecodeTensorsMatch() {
        List<CaseResult> r = new ArrayList<>();
        for (String f : List.of("vae_decode.safetensors", "vae_decode_nonsquare.safetensors")) {
            r.addAll(VaeGoldenCases.decode(Shared.golden(f), Shared.tinySd().resolve("vae"), List.of("post_quant_conv"), TOL));
        }
        assertAllPass(r, 2);
    }

    @Test
    void unknownOutputIsReportedAsFailure() {
        List<CaseResult> r = VaeGoldenCases.decode(Shared.golden("vae_decode.safetensors"), Shared.tinySd().resolve("vae"),
                List.of("image_postprocessed", "no_such_tensor"), TOL);
        assertEquals(2, r.size());
        assertTrue(r.stream().noneMatch(CaseResult::pass), r.toString());
        assertTrue(r.get(1).message().contains("no_such_tensor"), r.get(1).message());
    }

    private static void assertAllPass(List<CaseResult> results, int expectedCount) {
        results.forEach(r -> System.out.println(r.line()));
        assertEquals(expectedCount, results.size(), "number of compared outputs");
        for (CaseResult r : results) assertTrue(r.pass(), r.line());
    }
}
