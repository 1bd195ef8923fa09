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

/**
 * Runs every case of a golden-case index and reports one result per output. A case that throws is a FAIL
 * with the exception's message, never an aborted run; an unknown kind is a FAIL too.
 */
public final class GoldenRunner {
    private final Map<String, CaseHandler> handlers = new LinkedHashMap<>();

    /** A runner that knows every kind adi4j implements. */
    public static GoldenRunner standard() {
        GoldenRunner r = new GoldenRunner();
        r.register("unet_forward", (c, root, m) ->
                UNetGoldenCases.forward(c.name(), root.resolve(c.file()), unet(c, root, m), c.outputs(), c.tol()));
        r.register("unet_grad", (c, root, m) ->
                UNetGoldenCases.grad(c.name(), root.resolve(c.file()), unet(c, root, m), c.outputs(), c.tol()));
        r.register("vae_encode", (c, root, m) ->
                VaeGoldenCases.encode(c.name(), root.resolve(c.file()), vae(c, root, m), c.outputs(), c.tol()));
        r.register("vae_decode", (c, root, m) ->
                VaeGoldenCases.decode(c.name(), root.resolve(c.file()), vae(c, root, m), c.outputs(), c.tol()));
        r.register("tokenizer", (c, root, m) -> TokenizerGoldenCases.run(c, root));
        for (String kind : List.of(SchedulerGoldens.KIND_ROLLOUT, SchedulerGoldens.KIND_TRAIN)) {
            r.register(kind, (c, root, m) -> SchedulerGoldens.run(c.name(), c.kind(), root.resolve(c.file()),
                    root.resolve(c.configs()), c.scheduler(), c.tol()));
        }
        r.register("text_forward", (c, root, m) ->
                TextGoldenCases.textForward(root.resolve(c.file()), root.resolve(c.model()), c.outputs(), c.tol()));
        r.register("text_grad_embedding", (c, root, m) ->
                TextGoldenCases.textGradEmbedding(root.resolve(c.file()), root.resolve(c.model()), c.outputs(), c.tol()));
        r.register("layerwise_unet_grad", (c, root, m) -> {
            Path folder = root.resolve(c.model());
            ClipTextEncoder text = m.get(ClipTextEncoder.class, folder.resolve("text_encoder"), ClipTextEncoder::load);
            return LayerWiseGoldenCases.run(c.name(), root.resolve(c.file()), folder, text,
                    unet(folder.resolve("unet"), m), c.outputs(), c.tol());
        });
        r.register("pipeline", (c, root, m) -> {
            Path folder = root.resolve(c.model());
            return PipelineGoldenCases.run(c.name(), root.resolve(c.file()), unet(folder.resolve("unet"), m),
                    vae(folder.resolve("vae"), m), c.outputs(), c.tol());
        });
        r.register(AdiUpdateGoldenCases.KIND, (c, root, m) -> AdiUpdateGoldenCases.run(c, root));
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

    public void register(String kind, CaseHandler handler) {
        handlers.put(kind, handler);
    }

    /** Runs all cases of the index at {@code indexFile}, passing each result to {@code sink} as it comes. */
    public List<CaseResult> run(Path indexFile, Consumer<CaseResult> sink) {
        GoldenIndex index = GoldenIndex.read(indexFile);
        Path root = indexFile.toAbsolutePath().getParent();
        List<CaseResult> all = new ArrayList<>();
        try (ModelCache models = new ModelCache()) {
            for (GoldenCase c : index.cases()) {
                for (CaseResult r : runCase(c, root, models)) {
                    all.add(r);
                    sink.accept(r);
                }
            }
        }
        return all;
    }

    private List<CaseResult> runCase(GoldenCase c, Path root, ModelCache models) {
        CaseHandler h = handlers.get(c.kind());
        if (h == null) {
            return List.of(CaseResult.failure(c.name(), "", "unknown kind '" + c.kind() + "' (known: "
                    + String.join(", ", handlers.keySet()) + ")"));
        }
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
