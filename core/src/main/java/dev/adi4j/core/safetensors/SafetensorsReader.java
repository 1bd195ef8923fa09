package dev.adi4j.core.safetensors;

import dev.adi4j.core.io.RegularFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a safetensors file: the header is parsed and validated on open, tensor data is memory-mapped
 * one tensor at a time when asked for, so opening a multi-GB checkpoint costs only its header.
 * Every problem with the file surfaces as a {@link SafetensorsFormatException}.
 */
public final class SafetensorsReader implements AutoCloseable {
    /** Headers larger than this are refused: no real checkpoint comes near it. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final HeaderParser.Header header;

    private SafetensorsReader(Path file, FileChannel channel, HeaderParser.Header header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
    }

    /** Opens and validates a file; throws {@link SafetensorsFormatException} for anything malformed. */
    public static SafetensorsReader open(Path file) {
        if (!java.nio.file.Files.exists(file)) throw new SafetensorsFormatException(file, null, "cannot open: no such file");
        RegularFiles.require(file, "safetensors", (f, p) -> new SafetensorsFormatException(f, null, p));
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new SafetensorsFormatException(file, null, "cannot open: " + e, e);
        }
        try {
            return new SafetensorsReader(file, ch, HeaderParser.parse(file, ch));
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** The file this reader reads. */
    public Path file() { return file; }

    /** Tensor names in header order (metadata excluded). */
    public Set<String> names() { return header.tensors().keySet(); }

    /** True when the file holds a tensor of that name. */
    public boolean contains(String name) { return header.tensors().containsKey(name); }

    /** Header entry of one tensor; throws when absent. */
    public TensorInfo info(String name) {
        TensorInfo t = header.tensors().get(name);
        if (t == null) throw new SafetensorsFormatException(file, name, "no such tensor in the file");
        return t;
    }

    /** All header entries, in header order. */
    public Map<String, TensorInfo> infos() { return header.tensors(); }

    /** The string map stored under {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() { return header.metadata(); }

    /** Little-endian read-only view of one tensor's bytes (memory-mapped, not copied). */
    public ByteBuffer bytes(String name) {
        TensorInfo t = info(name);
        if (t.byteLength() > Integer.MAX_VALUE) {
            throw new SafetensorsFormatException(file, name, "tensor of " + t.byteLength()
                    + " bytes is larger than the 2 GiB a single buffer can map");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart() + t.begin(), t.byteLength())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException | RuntimeException e) {
            throw new SafetensorsFormatException(file, name, "cannot map data: " + e, e);
        }
    }

    /**
     * Loads one tensor as a float32 array of its shape (F16, BF16, F8, F64 and integer types are converted;
     * U16/U32/U64 are refused),
     * decoding straight from the mapped file into the array's buffer.
     * Scalars (shape []) come back with shape [1].
     */
    public INDArray loadFloat(String name) {
        TensorInfo t = info(name);
        if (!t.dtype().loadsAsFloat()) {
            throw new SafetensorsFormatException(file, name, "valid safetensors, dtype " + t.dtype()
                    + " not supported for a network weight (float types, signed integers, U8 and BOOL are)");
        }
        long n = t.numel();
        long[] shape = t.rank() == 0 ? new long[]{1} : t.shape();
        if (n == 0) return Nd4j.create(DataType.FLOAT, shape);
        ByteBuffer src = bytes(name);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        FloatBuffer dst = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        DTypeConversion.toFloat(t.dtype(), src, dst, n);
        // dst is a raw view of the array's off-heap memory: keep the owner alive until written.
        Reference.reachabilityFence(out);
        return out;
    }

    /**
     * Like {@link #loadFloat(String)}, but first checks that the stored shape equals {@code expectedShape}
     * (a scalar stored as {@code []} also matches {@code [1]}).
     */
    public INDArray loadFloat(String name, long... expectedShape) {
        TensorInfo t = info(name);
        long[] stored = t.shape();
        boolean scalarAsOne = stored.length == 0 && Arrays.equals(expectedShape, new long[]{1});
        if (!Arrays.equals(stored, expectedShape) && !scalarAsOne) {
            throw new SafetensorsFormatException(file, name, "shape is " + Arrays.toString(stored)
                    + " but " + Arrays.toString(expectedShape) + " was expected");
        }
        return loadFloat(name);
    }

    /**
     * Loads a tensor of integers (e.g. {@code position_ids} I64) as a flat row-major long[]. Integer and
     * BOOL types convert exactly; floating-point tensors are accepted only when every value is an integer
     * (golden files store ids as float32).
     */
    public long[] loadLongs(String name) {
        TensorInfo t = info(name);
        if (t.numel() > Integer.MAX_VALUE - 8) {
            throw new SafetensorsFormatException(file, name, t.numel() + " elements do not fit a Java array");
        }
        long[] out = new long[(int) t.numel()];
        int bad = DTypeConversion.toLong(t.dtype(), bytes(name), out);
        if (bad >= 0) {
            String shown = t.dtype() == DType.U64
                    ? Long.toUnsignedString(bytes(name).getLong(bad * 8))
                    : Float.toString(loadFloatAt(name, bad));
            throw new SafetensorsFormatException(file, name, t.dtype() + " element " + bad + " = " + shown
                    + " is not an integer in the 64-bit range");
        }
        return out;
    }

    /** Like {@link #loadLongs(String)}, also requiring every value to fit an int. */
    public int[] loadInts(String name) {
        long[] values = loadLongs(name);
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != (int) values[i]) {
                throw new SafetensorsFormatException(file, name, "element " + i + " = " + values[i]
                        + " does not fit a 32-bit int");
            }
            out[i] = (int) values[i];
        }
        return out;
    }

    private float loadFloatAt(String name, int index) {
        TensorInfo t = info(name);
        ByteBuffer src = bytes(name).position(index * t.dtype().bytes());
        FloatBuffer one = FloatBuffer.allocate(1);
        DTypeConversion.toFloat(t.dtype(), src, one, 1);
        return one.get(0);
    }

    /** Loads every tensor as float32, in header order. Meant for small files (goldens, tests). */
    public Map<String, INDArray> loadAllFloat() {
        Map<String, INDArray> all = new LinkedHashMap<>();
        for (String name : names()) all.put(name, loadFloat(name));
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
