package dev.adi4j.convert;

import dev.adi4j.core.safetensors.DType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Writes one safetensors file tensor by tensor: the header is known from the plan, then {@code data} is
 * asked for each entry in order, so only one tensor is in memory at a time.
 */
interface WeightsWriter {
    /** One header entry. */
    record Entry(String name, DType dtype, long[] shape) {
    }

    /**
     * @param data entry index -> values in PyTorch layout (any float type for float entries, integral values
     *             for integer entries); the writer converts to {@link Entry#dtype()}
     */
    void write(Path file, List<Entry> entries, Map<String, String> metadata, IntFunction<INDArray> data);
}
