package dev.adi4j.core.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes a safetensors file in F32, F16 or BF16 (per file by default, or per tensor).
 *
 * <p>Tensors are declared first (name, shape, dtype and where the data will come from), so the header can
 * be written before any data; {@link #write(Path)} then fetches and streams one tensor at a time, so a
 * multi-GB checkpoint never has to be in memory at once: declare each tensor with
 * {@link #addLazy(String, long[], DType, Supplier)} and let the supplier load or compute it.
 *
 * <p>Layout follows the Python/Rust {@code safetensors} library: tensors sorted by dtype (F32, then BF16,
 * then F16, which keeps every tensor aligned) and then by name, so a single-dtype file is in plain name
 * order; the header is padded with spaces to a multiple of 8 bytes.
 *
 * <p>The file is written to a temporary file in the target's folder and atomically renamed; on any failure
 * the temporary file is deleted and the target is left as it was.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_BYTES = 1 << 20;

    /** One declared tensor; {@code source} yields an INDArray or a float[] in row-major order. */
    private record Entry(String name, DType dtype, long[] shape, long numel, Supplier<?> source) {
    }

    private final DType defaultDtype;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** A writer whose tensors are stored as F32 unless a dtype is given per tensor. */
    public SafetensorsWriter() {
        this(DType.F32);
    }

    /** A writer whose tensors are stored as {@code defaultDtype} (F32, F16 or BF16) unless given per tensor. */
    public SafetensorsWriter(DType defaultDtype) {
        this.defaultDtype = checkWritable(defaultDtype, null);
    }

    /** Adds one {@code __metadata__} entry. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "metadata key"),
                Objects.requireNonNull(value, () -> "metadata value of '" + key + "'"));
        return this;
    }

    /** Adds every entry of {@code values} to {@code __metadata__}. */
    public SafetensorsWriter metadata(Map<String, String> values) {
        values.forEach(this::metadata);
        return this;
    }

    /** Adds an array of any data type, stored in the writer's default dtype. */
    public SafetensorsWriter add(String name, INDArray array) {
        return add(name, array, defaultDtype);
    }

    /** Adds an array of any data type (converted when written), stored as {@code dtype}. */
    public SafetensorsWriter add(String name, INDArray array, DType dtype) {
        Objects.requireNonNull(array, () -> "array for '" + name + "'");
        return declare(name, array.shape(), dtype, () -> array);
    }

    /** Adds row-major float data of the given shape, stored in the writer's default dtype. */
    public SafetensorsWriter add(String name, float[] data, long... shape) {
        return add(name, defaultDtype, data, shape);
    }

    /** Adds row-major float data of the given shape, stored as {@code dtype}. */
    public SafetensorsWriter add(String name, DType dtype, float[] data, long... shape) {
        Objects.requireNonNull(data, () -> "data for '" + name + "'");
        long numel = numel(name, shape);
        if (numel != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " needs " + numel + " values but " + data.length + " were given");
        }
        return declare(name, shape, dtype, () -> data);
    }

    /**
     * Declares a tensor whose data is produced only when the file is written: {@code source} is called once
     * per {@link #write(Path)}, in layout order, and must return an array (any data type) of exactly
     * {@code shape}. Its result is dropped as soon as it has been written.
     */
    public SafetensorsWriter addLazy(String name, long[] shape, DType dtype, Supplier<INDArray> source) {
        return declare(name, shape, dtype, Objects.requireNonNull(source, "source"));
    }

    /** Names declared so far, in the order they were added. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    private SafetensorsWriter declare(String name, long[] shape, DType dtype, Supplier<?> source) {
        Objects.requireNonNull(name, "tensor name");
        if (name.equals(HeaderParser.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + name + "' is reserved for metadata, not a tensor name");
        }
        if (entries.containsKey(name)) throw new IllegalArgumentException("tensor '" + name + "' added twice");
        checkWritable(dtype, name);
        long numel = numel(name, shape);
        if (numel > Long.MAX_VALUE / dtype.bytes()) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " is too large");
        }
        entries.put(name, new Entry(name, dtype, shape.clone(), numel, source));
        return this;
    }

    private static long numel(String name, long[] shape) {
        long numel = 1;
        for (long d : Objects.requireNonNull(shape, () -> "shape of '" + name + "'")) {
            if (d < 0 || (d > 0 && numel > Long.MAX_VALUE / d)) {
                throw new IllegalArgumentException("tensor '" + name + "': bad shape " + Arrays.toString(shape));
            }
            numel *= d;
        }
        return numel;
    }

    private static DType checkWritable(DType dtype, String name) {
        if (dtype == null || !dtype.isWritable()) {
            throw new IllegalArgumentException((name == null ? "" : "tensor '" + name + "': ")
                    + "can only write F32, F16 or BF16, not " + dtype);
        }
        return dtype;
    }

    /**
     * Writes all declared tensors to {@code target} (replacing it atomically if it exists).
     *
     * @throws IOException when the file system fails; the target is then untouched
     * @throws SafetensorsFormatException when a lazily produced tensor does not match its declaration
     */
    public void write(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        List<Entry> layout = layout();
        byte[] header = header(layout);
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                writeFully(ch, len.flip());
                writeFully(ch, ByteBuffer.wrap(header));
                ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (Entry e : layout) writeTensor(abs, ch, e, chunk);
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    private List<Entry> layout() {
        List<Entry> layout = new ArrayList<>(entries.values());
        // Same order as the Rust safetensors crate: larger/"higher" dtypes first, then names byte-wise.
        layout.sort(Comparator.comparingInt((Entry e) -> -dtypeRank(e.dtype()))
                .thenComparing(e -> e.name().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return layout;
    }

    private static int dtypeRank(DType d) {
        return switch (d) {
            case F32 -> 2;
            case BF16 -> 1;
            default -> 0;
        };
    }

    private byte[] header(List<Entry> layout) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(HeaderParser.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry e : layout) {
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", e.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) shape.add(d);
            long end = offset + e.numel() * e.dtype().bytes();
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        if (padded > SafetensorsReader.MAX_HEADER_BYTES) {
            throw new IllegalStateException("header of " + padded + " bytes exceeds the "
                    + SafetensorsReader.MAX_HEADER_BYTES + "-byte limit readers accept");
        }
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeTensor(Path target, FileChannel ch, Entry e, ByteBuffer chunk) throws IOException {
        Object data = e.source().get();
        Object owner = data;
        FloatBuffer floats;
        if (data instanceof float[] f) {
            floats = FloatBuffer.wrap(f);
        } else if (data instanceof INDArray a) {
            if (!Arrays.equals(a.shape(), e.shape())) {
                throw new SafetensorsFormatException(target, e.name(), "source produced shape "
                        + Arrays.toString(a.shape()) + " but " + Arrays.toString(e.shape()) + " was declared");
            }
            INDArray dense = denseFloat(a);
            owner = dense;
            floats = dense.isEmpty() ? FloatBuffer.allocate(0)
                    : dense.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().limit((int) e.numel());
        } else {
            throw new SafetensorsFormatException(target, e.name(), "source produced "
                    + (data == null ? "null" : data.getClass().getName()) + ", expected an INDArray");
        }
        while (floats.hasRemaining()) {
            chunk.clear();
            DTypeConversion.encode(e.dtype(), floats, chunk);
            writeFully(ch, chunk.flip());
        }
        // floats may be a raw view of the array's off-heap memory: keep its owner alive until written.
        Reference.reachabilityFence(owner);
    }

    /** A float32, row-major, non-view copy of {@code a} (or {@code a} itself when it already is one). */
    private static INDArray denseFloat(INDArray a) {
        INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        if (f.isEmpty()) return f;
        boolean dense = !f.isView() && f.ordering() == 'c' && f.data().offset() == 0
                && f.data().length() == f.length();
        return dense ? f : f.dup('c');
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
