package dev.adi4j.diffusion.identifier;

import dev.adi4j.core.safetensors.SafetensorsReader;
import dev.adi4j.core.safetensors.SafetensorsWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Learned identifiers: for each placeholder token (e.g. {@code <handstand>}) its embedding vectors, one per
 * cross-attention layer ([layers, D], layer-wise as ADI and P+ learn them) or a single one ([1, D], Textual
 * Inversion). Stored as a safetensors file whose tensor names are the tokens.
 */
public record Identifiers(Map<String, INDArray> vectors) {
    public static final String FORMAT_KEY = "adi4j.identifiers";
    public static final String FORMAT = "1";

    public Identifiers {
        vectors = Collections.unmodifiableMap(new LinkedHashMap<>(vectors));
    }

    public static Identifiers none() {
        return new Identifiers(Map.of());
    }

    public static Identifiers load(Path file) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            if (!FORMAT.equals(r.metadata().get(FORMAT_KEY))) {
                throw new IllegalArgumentException(file + ": not an adi4j identifiers file (metadata '" + FORMAT_KEY
                        + "' must be \"" + FORMAT + "\")");
            }
            Map<String, INDArray> v = new LinkedHashMap<>();
            for (String name : r.names()) {
                INDArray a = r.loadFloat(name);
                if (a.rank() != 2) {
                    throw new IllegalArgumentException(file + ": identifier '" + name + "' must be [layers, dim], got rank "
                            + a.rank());
                }
                v.put(name, a);
            }
            return new Identifiers(v);
        }
    }

    /** Writes atomically. */
    public void save(Path file, Map<String, String> metadata) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata(FORMAT_KEY, FORMAT).metadata(metadata);
        vectors.forEach(w::add);
        w.write(file);
    }

    /** Number of layers of the identifiers (1 when there are none or all are single vectors). */
    public int layers() {
        return vectors.values().stream().mapToInt(a -> (int) a.size(0)).max().orElse(1);
    }
}
