package dev.adi4j.convert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.adi4j.core.safetensors.SafetensorsFormatException;
import dev.adi4j.core.safetensors.SafetensorsReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
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

    /**
     * Opens a safetensors file after checking that its JSON header has no duplicate key (which JSON readers
     * would silently resolve to one of the values).
     */
    public static SafetensorsReader open(Path file) {
        refusePickle(file);
        if (!Files.isRegularFile(file)) throw new ConversionException(file, null, "file not found");
        rejectDuplicateKeys(file);
        try {
            return SafetensorsReader.open(file);
        } catch (SafetensorsFormatException e) {
            throw new ConversionException(file, e.key(), stripFile(e.getMessage(), file, e.key()), e);
        }
    }

    private static String stripFile(String message, Path file, String key) {
        String prefix = file + (key == null ? "" : ": tensor '" + key + "'") + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    static void rejectDuplicateKeys(Path file) {
        byte[] header;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (ch.read(len, 0) < 8) return; // the reader reports the short file
            long n = len.getLong(0);
            if (n < 2 || n > SafetensorsReader.MAX_HEADER_BYTES || n > ch.size() - 8) return; // ditto
            ByteBuffer buf = ByteBuffer.allocate((int) n);
            while (buf.hasRemaining() && ch.read(buf, 8 + buf.position()) > 0) { }
            header = buf.array();
        } catch (IOException e) {
            throw new ConversionException(file, null, "cannot read: " + e.getMessage(), e);
        }
        Set<String> seen = new HashSet<>();
        try (JsonParser p = new JsonFactory().createParser(header)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (!seen.add(key)) {
                    throw new ConversionException(file, key, "duplicate key in the safetensors header "
                            + "(the file is corrupt or was written by a broken tool)");
                }
                p.nextToken();
                p.skipChildren();
            }
        } catch (JsonParseException e) {
            return; // malformed JSON: the reader reports it with its own message
        } catch (IOException e) {
            throw new ConversionException(file, null, "cannot parse header: " + e.getMessage(), e);
        }
    }
}
