package dev.adi4j.diffusion.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adi4j.core.config.Configs;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes small F32 safetensors files for tests (fixtures with deliberate defects). */
final class TestSafetensors {
    private TestSafetensors() {
    }

    static void write(Path file, Map<String, INDArray> tensors) throws IOException {
        ObjectNode header = Configs.mapper().createObjectNode();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) shape.add(d);
            long bytes = e.getValue().length() * 4;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = Configs.mapper().writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        for (INDArray a : tensors.values()) {
            for (float f : a.castTo(DataType.FLOAT).dup('c').data().asFloat()) buf.putFloat(f);
        }
        Files.write(file, buf.array());
    }
}
