package dev.adi4j.convert;

import dev.adi4j.core.safetensors.DType;
import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a single-file SD 2.x checkpoint of the tiny test model: UNet and VAE from tiny-sd renamed back with
 * the manifests' mapping rows (the tiny model has the SD 2.1 structure, so its keys are a subset), VAE
 * attention weights back to 1x1 convolutions, and the text part from tiny-sd-original (incl. the last
 * resblock, text_projection, logit_scale), plus a few keys on the drop list.
 */
final class TinyCheckpoint {
    private TinyCheckpoint() {
    }

    /** Original key -> tensor. {@code edit} may change the map before writing. */
    static Map<String, INDArray> tensors() {
        Map<String, INDArray> out = new TreeMap<>();
        addReversed(out, Fixtures.tinySd().resolve("unet/diffusion_pytorch_model.safetensors"), "sd21-unet-mapping.tsv");
        addReversed(out, Fixtures.tinySd().resolve("vae/diffusion_pytorch_model.safetensors"), "sd21-vae-mapping.tsv");
        try (SafetensorsReader r = SafetensorsReader.open(Fixtures.fixtures().resolve("tiny-sd-original/text_encoder_openclip.safetensors"))) {
            out.putAll(r.loadAllFloat());
        }
        out.put("betas", Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1000));
        out.put("alphas_cumprod", Nd4j.ones(1000));
        out.put("model_ema.num_updates", Nd4j.scalar(1f));
        return out;
    }

    private static void addReversed(Map<String, INDArray> out, Path diffusersFile, String mapping) {
        try (SafetensorsReader r = SafetensorsReader.open(diffusersFile)) {
            for (String[] row : Fixtures.rows(Fixtures.manifest(mapping))) {
                if (!r.contains(row[0])) continue; // the tiny model has fewer shortcut convolutions
                INDArray a = r.loadFloat(row[0]);
                boolean attnWeight = row[1].matches(".*mid\\.attn_1\\.(q|k|v|proj_out)\\.weight");
                out.put(row[1], attnWeight ? a.reshape(a.size(0), a.size(1), 1, 1) : a);
            }
        }
    }

    /** Writes {@code tensors} as F32 (or {@code dtype}) safetensors with the core writer. */
    static Path write(Path file, Map<String, INDArray> tensors, DType dtype) {
        SafetensorsWriter w = new SafetensorsWriter(dtype);
        tensors.forEach(w::add);
        try {
            w.write(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    static Path write(Path file) {
        return write(file, tensors(), DType.F32);
    }
}
