package dev.adi4j.harness.golden;

import dev.adi4j.diffusion.vae.AutoencoderKL;
import dev.adi4j.diffusion.vae.DiagonalGaussian;
import dev.adi4j.core.safetensors.SafetensorsReader;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden cases of kinds {@code vae_encode} and {@code vae_decode} (fixtures README, section c1): runs the VAE
 * of {@code modelFolder} on the case's inputs and compares each requested output with the pass rule of
 * {@link Compare}. The case name is the file name without {@code .safetensors}.
 */
public final class VaeGoldenCases {
    private VaeGoldenCases() {
    }

    /**
     * Inputs {@code image}, {@code eps}. Outputs: {@code encoder_output}, {@code moments}, {@code mean},
     * {@code logvar}, {@code std}, {@code var}, {@code latent_sample}, {@code latent_scaled},
     * {@code latent_mode_scaled}.
     */
    public static List<CaseResult> encode(Path caseFile, Path modelFolder, List<String> outputs, double tol) {
        try (AutoencoderKL vae = AutoencoderKL.load(modelFolder)) {
            return encode(caseName(caseFile), caseFile, vae, outputs, tol);
        }
    }

    /** As {@link #encode(Path, Path, List, double)} with an already loaded VAE and the index's case name. */
    public static List<CaseResult> encode(String name, Path caseFile, AutoencoderKL model, List<String> outputs,
                                          double tol) {
        return run(name, caseFile, model, outputs, tol, List.of("image", "eps"), (vae, in) -> {
            Map<String, INDArray> raw = vae.encodeOutputs(in.get("image"));
            DiagonalGaussian dist = DiagonalGaussian.fromMoments(raw.get("moments"));
            INDArray sample = dist.sample(in.get("eps"));
            Map<String, INDArray> all = new HashMap<>(raw);
            all.put("mean", dist.mean());
            all.put("logvar", dist.logvar());
            all.put("std", dist.std());
            all.put("var", dist.var());
            all.put("latent_sample", sample);
            all.put("latent_scaled", vae.scaleLatent(sample));
            all.put("latent_mode_scaled", vae.scaleLatent(dist.mode()));
            return all;
        });
    }

    /** Input {@code latent} (what vae.decode receives). Outputs: {@code post_quant_conv}, {@code image}. */
    public static List<CaseResult> decode(Path caseFile, Path modelFolder, List<String> outputs, double tol) {
        try (AutoencoderKL vae = AutoencoderKL.load(modelFolder)) {
            return decode(caseName(caseFile), caseFile, vae, outputs, tol);
        }
    }

    /** As {@link #decode(Path, Path, List, double)} with an already loaded VAE and the index's case name. */
    public static List<CaseResult> decode(String name, Path caseFile, AutoencoderKL model, List<String> outputs,
                                          double tol) {
        return run(name, caseFile, model, outputs, tol, List.of("latent"),
                (vae, in) -> vae.decodeOutputs(in.get("latent")));
    }

    private interface Runner {
        Map<String, INDArray> apply(AutoencoderKL vae, Map<String, INDArray> inputs);
    }

    private static List<CaseResult> run(String name, Path caseFile, AutoencoderKL model, List<String> outputs,
                                        double tol, List<String> inputNames, Runner runner) {
        List<CaseResult> results = new ArrayList<>();
        Map<String, INDArray> expected = new HashMap<>();
        Map<String, INDArray> inputs = new HashMap<>();
        try (SafetensorsReader golden = SafetensorsReader.open(caseFile)) {
            for (String in : inputNames) {
                if (!golden.contains(in)) return List.of(CaseResult.failure(name, in, "input '" + in + "' missing in " + caseFile));
                inputs.put(in, golden.loadFloat(in));
            }
            for (String out : outputs) {
                if (golden.contains(out)) expected.put(out, golden.loadFloat(out));
            }
        }
        Map<String, INDArray> actual = runner.apply(model, inputs);
        for (String out : outputs) {
            if (!expected.containsKey(out)) {
                results.add(CaseResult.failure(name, out, "expected tensor '" + out + "' missing in " + caseFile));
            } else if (!actual.containsKey(out)) {
                results.add(CaseResult.failure(name, out, "output '" + out + "' is not produced by the VAE runner"));
            } else {
                results.add(Compare.compare(name, out, actual.get(out), expected.get(out), tol));
            }
        }
        return results;
    }

    private static String caseName(Path caseFile) {
        String f = caseFile.getFileName().toString();
        return f.endsWith(".safetensors") ? f.substring(0, f.length() - ".safetensors".length()) : f;
    }
}
