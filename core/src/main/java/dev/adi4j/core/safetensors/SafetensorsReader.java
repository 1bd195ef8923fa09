package dev.adi4j.core.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a safetensors file: the header is parsed and validated on open, tensor data is memory-mapped
 * one tensor at a time when asked for, so opening a multi-GB checkpoint costs only its header.
 */
public final class SafetensorsReader implements AutoCloseable {
    /** Headers larger than this are refused: no real checkpoint comes near it. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path file, FileChannel channel, long dataStart,
                              Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates a file; throws {@link SafetensorsFormatException} for anything malformed. */
    public static SafetensorsReader open(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new SafetensorsFormatException(file, null, "cannot open: " + e, e);
        }
        try {
            return parse(file, ch);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SafetensorsReader parse(Path file, FileChannel ch) {
        long size;
        try {
            size = ch.size();
        } catch (IOException e) {
            throw new SafetensorsFormatException(file, null, "cannot read size: " + e, e);
        }
        if (size < 8) {
            throw new SafetensorsFormatException(file, null,
                    "file has " + size + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lenBuf, 0);
        long headerLen = lenBuf.getLong(0);
        if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
            throw new SafetensorsFormatException(file, null, "header length " + Long.toUnsignedString(headerLen)
                    + " is impossible for a file of " + size + " bytes (limit " + MAX_HEADER_BYTES + ")");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(file, ch, headerBuf, 8);
        JsonNode root;
        try {
            root = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SafetensorsFormatException(file, null, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(file, null, "header is not a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.equals("__metadata__")) {
                if (!v.isObject()) {
                    throw new SafetensorsFormatException(file, key, "__metadata__ must be an object of strings");
                }
                v.fields().forEachRemaining(m -> {
                    if (!m.getValue().isTextual()) {
                        throw new SafetensorsFormatException(file, "__metadata__",
                                "metadata value of '" + m.getKey() + "' is not a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asText());
                });
                continue;
            }
            tensors.put(key, parseTensor(file, key, v, dataLen));
        }
        checkNoOverlap(file, tensors.values());
        return new SafetensorsReader(file, ch, dataStart,
                Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static TensorInfo parseTensor(Path file, String key, JsonNode v, long dataLen) {
        if (!v.isObject()) throw new SafetensorsFormatException(file, key, "entry is not a JSON object");
        JsonNode dt = v.get("dtype");
        DType dtype = dt == null ? null : DType.parse(dt.asText());
        if (dtype == null) {
            throw new SafetensorsFormatException(file, key, "unknown or missing dtype " + dt);
        }
        JsonNode sh = v.get("shape");
        if (sh == null || !sh.isArray()) throw new SafetensorsFormatException(file, key, "missing shape array");
        long[] shape = new long[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw new SafetensorsFormatException(file, key, "shape " + sh + " has a bad dimension");
            }
            shape[i] = d.asLong();
            numel = Math.multiplyHigh(numel, shape[i]) != 0 ? -1 : numel * shape[i];
            if (numel < 0) throw new SafetensorsFormatException(file, key, "shape " + sh + " overflows");
        }
        JsonNode off = v.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong()
                || !off.get(1).canConvertToLong()) {
            throw new SafetensorsFormatException(file, key, "data_offsets must be [begin, end]");
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen) {
            throw new SafetensorsFormatException(file, key, "data_offsets [" + begin + ", " + end
                    + "] outside the data section of " + dataLen + " bytes");
        }
        if (numel > Long.MAX_VALUE / 8 || numel * dtype.bytes() != end - begin) {
            throw new SafetensorsFormatException(file, key, "shape " + sh + " x " + dtype + " needs "
                    + (numel * dtype.bytes()) + " bytes but data_offsets give " + (end - begin));
        }
        return new TensorInfo(key, dtype, shape, begin, end);
    }

    private static void checkNoOverlap(Path file, Iterable<TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>();
        infos.forEach(sorted::add);
        sorted.sort((a, b) -> Long.compare(a.begin(), b.begin()));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1);
            TensorInfo cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw new SafetensorsFormatException(file, cur.name(),
                        "byte range overlaps tensor '" + prev.name() + "'");
            }
        }
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long pos) {
        try {
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos + buf.position());
                if (n < 0) throw new SafetensorsFormatException(file, null, "unexpected end of file");
            }
        } catch (IOException e) {
            throw new SafetensorsFormatException(file, null, "read failed: " + e, e);
        }
    }

    /** The file this reader reads. */
    public Path file() { return file; }

    /** Tensor names in header order (metadata excluded). */
    public Set<String> names() { return tensors.keySet(); }

    /** True when the file holds a tensor of that name. */
    public boolean contains(String name) { return tensors.containsKey(name); }

    /** Header entry of one tensor; throws when absent. */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) throw new SafetensorsFormatException(file, name, "no such tensor in the file");
        return t;
    }

    /** All header entries, in header order. */
    public Map<String, TensorInfo> infos() { return tensors; }

    /** The string map stored under {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() { return metadata; }

    /** Little-endian read-only view of one tensor's bytes. */
    public ByteBuffer bytes(String name) {
        TensorInfo t = info(name);
        try {
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), t.byteLength());
            return m.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException | IllegalArgumentException e) {
            throw new SafetensorsFormatException(file, name, "cannot map data: " + e, e);
        }
    }

    /**
     * Loads one tensor as a float32 array of its shape (F16, BF16, F64 and integer types are converted).
     * Scalars (shape []) come back with shape [1].
     */
    public INDArray loadFloat(String name) {
        TensorInfo t = info(name);
        long n = t.numel();
        long[] shape = t.shape().length == 0 ? new long[]{1} : t.shape();
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        if (n == 0) return out;
        FloatBuffer dst = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        ByteBuffer src = bytes(t.name());
        DTypeConversion.toFloat(t.dtype(), src, dst, n);
        return out;
    }

    /** Loads every tensor as float32, in header order. Meant for small files (goldens, tests). */
    public Map<String, INDArray> loadAllFloat() {
        Map<String, INDArray> all = new LinkedHashMap<>();
        for (String name : tensors.keySet()) all.put(name, loadFloat(name));
        return all;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written through this channel, so nothing can be lost
        }
    }
}
