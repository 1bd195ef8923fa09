package dev.adi4j.convert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adi4j.core.safetensors.DType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * STOPGAP until {@code dev.adi4j.core.safetensors.SafetensorsWriter} (branch safetensors) is merged: a
 * minimal streaming writer (header from the plan, then one tensor at a time; temp file + atomic rename).
 * Element conversion uses ND4J casts (F16 round-to-nearest-even; BF16/I64 as ND4J casts them).
 */
final class SafetensorsWeightsWriter implements WeightsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void write(Path file, List<Entry> entries, Map<String, String> metadata, IntFunction<INDArray> data) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put("__metadata__", metadata);
        long offset = 0;
        for (Entry e : entries) {
            long n = e.dtype().bytes();
            for (long d : e.shape()) n *= d;
            header.put(e.name(), Map.of("dtype", e.dtype().name(), "shape", e.shape(), "data_offsets", List.of(offset, offset + n)));
            offset += n;
        }
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            byte[] json = JSON.writeValueAsBytes(header);
            int padded = (json.length + 7) / 8 * 8;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(json);
                while (head.hasRemaining()) head.put((byte) ' ');
                writeFully(ch, head.flip());
                for (int i = 0; i < entries.size(); i++) {
                    Entry e = entries.get(i);
                    INDArray a = data.apply(i);
                    if (!Arrays.equals(a.shape(), e.shape()) && a.length() != numel(e.shape())) {
                        throw new IllegalStateException(e.name() + ": data shape " + Arrays.toString(a.shape())
                                + " does not match header " + Arrays.toString(e.shape()));
                    }
                    INDArray cast = a.castTo(nd4jType(e.dtype())).dup('c');
                    ByteBuffer bytes = cast.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
                    bytes.limit((int) (numel(e.shape()) * e.dtype().bytes()));
                    writeFully(ch, bytes);
                    if (cast.closeable()) cast.close();
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temp name is clearly marked
                }
            }
        }
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    private static DataType nd4jType(DType d) {
        return switch (d) {
            case F32 -> DataType.FLOAT;
            case F16 -> DataType.HALF;
            case BF16 -> DataType.BFLOAT16;
            case I64 -> DataType.LONG;
            default -> throw new IllegalArgumentException("writing " + d + " is not supported");
        };
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }
}
