package dev.adi4j.convert;

import dev.adi4j.core.safetensors.SafetensorsFormatException;
import dev.adi4j.core.safetensors.SafetensorsReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Opening input files: refusing pickles, rejecting duplicate header keys, clear errors for the rest. */
public final class CheckpointFiles {
    /** Extensions of PyTorch pickle checkpoints, which are never loaded. */
    public static final Set<String> PICKLE_EXTENSIONS = Set.of(".ckpt", ".pt", ".pth", ".bin");

    private CheckpointFiles() {
    }

    /** Throws the "pickle refused" error when {@code file}'s name ends with a pickle extension. */
    public static void refusePickle(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String ext : PICKLE_EXTENSIONS) {
            if (name.endsWith(ext)) {
                throw new ConversionException(file, null, "PyTorch pickle checkpoints (" + ext + ") are not loaded: "
                        + "unpickling can run arbitrary code. Use the .safetensors file the model page publishes "
                        + "(stabilityai/stable-diffusion-2-1: v2-1_768-ema-pruned.safetensors; "
                        + "stable-diffusion-2-1-base: v2-1_512-ema-pruned.safetensors), or convert once in Python: "
                        + "safetensors.torch.save_file({k: v.contiguous() for k, v in torch.load(PATH, "
                        + "map_location='cpu', weights_only=True)['state_dict'].items()}, 'model.safetensors')");
            }
        }
    }

    /** Opens a safetensors file (the reader refuses malformed headers, duplicate keys, truncated data). */
    public static SafetensorsReader open(Path file) {
        refusePickle(file);
        if (!Files.isRegularFile(file)) throw new ConversionException(file, null, "file not found");
        try {
            return SafetensorsReader.open(file);
        } catch (SafetensorsFormatException e) {
            throw new ConversionException(file, e.key(), stripFile(e.getMessage(), file, e.key()), e);
        }
    }

    private static String stripFile(String message, Path file, String key) {
        String prefix = file + (key == null ? "" : ": key '" + key + "'") + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
