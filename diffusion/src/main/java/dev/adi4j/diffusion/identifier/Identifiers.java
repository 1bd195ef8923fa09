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
                long nonFinite = a.length() - countFinite(a);
                if (nonFinite > 0) {
                    // a NaN identifier silently turns every image black: refuse it here
                    throw new IllegalArgumentException(file + ": identifier '" + name + "' holds " + nonFinite
                            + " NaN/Inf value(s) of " + a.length() + "; the training that wrote it diverged");
                }
                v.put(name, a);
            }
            return new Identifiers(v);
        }
    }

    /**
     * Refuses identifiers that do not fit the networks: every vector must be as wide as the text encoder's token
     * embeddings ({@code width}) and hold 1 or {@code layers} rows (one per cross-attention layer).
     */
    public void checkFits(Object source, long width, int layers) {
        for (Map.Entry<String, INDArray> e : vectors.entrySet()) {
            long rows = e.getValue().size(0);
            long cols = e.getValue().size(1);
            if (cols != width || (rows != 1 && rows != layers)) {
                throw new IllegalArgumentException(source + ": identifier '" + e.getKey() + "' is [" + rows + ", " + cols
                        + "], the model needs [1, " + width + "] or [" + layers + ", " + width + "]");
            }
        }
    }

    /**
     * Refuses a prompt that names a placeholder ({@code <word>}) this set has no vector for: it would be read as
     * plain text and the identifier silently ignored.
     */
    public void checkPlaceholders(Object source, String prompt) {
        java.util.regex.Matcher m = PLACEHOLDER.matcher(prompt);
        while (m.find()) {
            if (!vectors.containsKey(m.group())) {
                throw new IllegalArgumentException(source + ": no identifier '" + m.group() + "' for the prompt \""
                        + prompt + "\" (the file holds " + (vectors.isEmpty() ? "none" : String.join(", ", vectors.keySet())) + ")");
            }
        }
    }

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("<[^<>\\s]+>");

    private static long countFinite(INDArray a) {
        long n = 0;
        for (float x : a.data().asFloat()) if (Float.isFinite(x)) n++;
        return n;
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
