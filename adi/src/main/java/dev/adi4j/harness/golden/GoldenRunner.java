package dev.adi4j.harness.golden;

import dev.adi4j.diffusion.text.ClipTextEncoder;
import dev.adi4j.diffusion.unet.UNet;
import dev.adi4j.diffusion.vae.AutoencoderKL;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static dev.adi4j.harness.golden.KindSpec.Field.CONFIGS;
import static dev.adi4j.harness.golden.KindSpec.Field.MODEL;
import static dev.adi4j.harness.golden.KindSpec.Field.OUTPUTS;
import static dev.adi4j.harness.golden.KindSpec.Field.PARAMS;
import static dev.adi4j.harness.golden.KindSpec.Field.SCHEDULER;
import static dev.adi4j.harness.golden.KindSpec.Field.TOLERANCE;

/**
 * Runs every case of a golden-case index and reports one result per output. A case that throws is a FAIL
 * with the exception's message, never an aborted run; an unknown kind, or a case that lacks a field its kind
 * needs or names a tensor its file does not hold ({@link KindSpec}), is a FAIL naming the field before anything runs.
 */
public final class GoldenRunner {
    private final Map<String, CaseHandler> handlers = new LinkedHashMap<>();
    private final Map<String, KindSpec> specs = new LinkedHashMap<>();

    /** A runner that knows every kind adi4j implements. */
    public static GoldenRunner standard() {
        GoldenRunner r = new GoldenRunner();
        KindSpec network = KindSpec.tensors(MODEL, OUTPUTS, TOLERANCE);
        r.register("unet_forward", network, (c, root, m) ->
                UNetGoldenCases.forward(c.name(), root.resolve(c.file()), unet(c, root, m), c.outputs(), c.tol()));
        r.register("unet_grad", network, (c, root, m) ->
                UNetGoldenCases.grad(c.name(), root.resolve(c.file()), unet(c, root, m), c.outputs(), c.tol()));
        r.register("vae_encode", network, (c, root, m) ->
                VaeGoldenCases.encode(c.name(), root.resolve(c.file()), vae(c, root, m), c.outputs(), c.tol()));
        r.register("vae_decode", network, (c, root, m) ->
                VaeGoldenCases.decode(c.name(), root.resolve(c.file()), vae(c, root, m), c.outputs(), c.tol()));
        r.register("tokenizer", KindSpec.named(TokenizerGoldenCases.OUTPUTS, MODEL, OUTPUTS),
                (c, root, m) -> TokenizerGoldenCases.run(c, root));
        // rollouts compare every tensor of the file, so outputs are optional; the named ones must still exist
        for (String kind : List.of(SchedulerGoldens.KIND_ROLLOUT, SchedulerGoldens.KIND_TRAIN)) {
            r.register(kind, KindSpec.tensors(SCHEDULER, CONFIGS, TOLERANCE), (c, root, m) ->
                    SchedulerGoldens.run(c.name(), c.kind(), root.resolve(c.file()), root.resolve(c.configs()),
                            c.scheduler(), c.tol()));
        }
        r.register("text_forward", network, (c, root, m) ->
                TextGoldenCases.textForward(root.resolve(c.file()), root.resolve(c.model()), c.outputs(), c.tol()));
        r.register("text_grad_embedding", network, (c, root, m) ->
                TextGoldenCases.textGradEmbedding(root.resolve(c.file()), root.resolve(c.model()), c.outputs(), c.tol()));
        r.register("layerwise_unet_grad", network, (c, root, m) -> {
            Path folder = root.resolve(c.model());
            ClipTextEncoder text = m.get(ClipTextEncoder.class, folder.resolve("text_encoder"), ClipTextEncoder::load);
            return LayerWiseGoldenCases.run(c.name(), root.resolve(c.file()), folder, text,
                    unet(folder.resolve("unet"), m), c.outputs(), c.tol());
        });
        r.register("pipeline", network, (c, root, m) -> {
            Path folder = root.resolve(c.model());
            return PipelineGoldenCases.run(c.name(), root.resolve(c.file()), unet(folder.resolve("unet"), m),
                    vae(folder.resolve("vae"), m), c.outputs(), c.tol());
        });
        r.register(AdiUpdateGoldenCases.KIND, KindSpec.tensors(PARAMS, OUTPUTS, TOLERANCE),
                (c, root, m) -> AdiUpdateGoldenCases.run(c, root));
        return r;
    }

    private static AutoencoderKL vae(GoldenCase c, Path root, ModelCache m) {
        return vae(root.resolve(c.model()), m);
    }

    private static AutoencoderKL vae(Path folder, ModelCache m) {
        return m.get(AutoencoderKL.class, folder, AutoencoderKL::load);
    }

    private static UNet unet(GoldenCase c, Path root, ModelCache m) {
        return unet(root.resolve(c.model()), m);
    }

    private static UNet unet(Path folder, ModelCache m) {
        return m.get(UNet.class, folder, UNet::load);
    }

    /** Registers a kind whose cases need no more than name, kind and an existing file. */
    public void register(String kind, CaseHandler handler) {
        register(kind, KindSpec.ANY, handler);
    }

    /** Registers a kind; each of its cases is checked against {@code spec} before {@code handler} sees it. */
    public void register(String kind, KindSpec spec, CaseHandler handler) {
        handlers.put(kind, handler);
        specs.put(kind, spec);
    }

    /** The checks a kind's cases pass before running; null for an unknown kind. */
    KindSpec spec(String kind) {
        return specs.get(kind);
    }

    /** Runs all cases of the index at {@code indexFile}, passing each result to {@code sink} as it comes. */
    public List<CaseResult> run(Path indexFile, Consumer<CaseResult> sink) {
        GoldenIndex index = GoldenIndex.read(indexFile);
        Path root = indexFile.toAbsolutePath().getParent();
        List<CaseResult> all = new ArrayList<>();
        try (ModelCache models = new ModelCache()) {
            for (int i = 0; i < index.cases().size(); i++) {
                for (CaseResult r : runCase(index.cases().get(i), i, root, models)) {
                    all.add(r);
                    sink.accept(r);
                }
            }
        }
        return all;
    }

    private List<CaseResult> runCase(GoldenCase c, int index, Path root, ModelCache models) {
        String label = c == null || c.name() == null ? "cases[" + index + "]" : c.name();
        if (c == null) return List.of(CaseResult.failure(label, "", "not a case object"));
        List<String> missing = new ArrayList<>();
        if (c.name() == null) missing.add("name");
        if (c.kind() == null) missing.add("kind");
        if (c.file() == null) missing.add("file");
        if (!missing.isEmpty()) {
            return List.of(CaseResult.failure(label, "", "field" + (missing.size() > 1 ? "s " : " ")
                    + missing.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", "))
                    + (missing.size() > 1 ? " are" : " is") + " missing (every case needs name, kind and file)"));
        }
        CaseHandler h = handlers.get(c.kind());
        if (h == null) {
            return List.of(CaseResult.failure(c.name(), "", "unknown kind '" + c.kind() + "' (known: "
                    + String.join(", ", handlers.keySet()) + ")"));
        }
        List<String> problems = specs.get(c.kind()).problems(c, root);
        if (!problems.isEmpty()) return List.of(CaseResult.failure(c.name(), "", String.join("; ", problems)));
        try {
            List<CaseResult> results = h.run(c, root, models);
            if (results.isEmpty()) return List.of(CaseResult.failure(c.name(), "", "case produced no result"));
            return results;
        } catch (Exception | OutOfMemoryError e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return List.of(CaseResult.failure(c.name(), "", "error: " + msg.lines().findFirst().orElse(msg)));
        }
    }
}
