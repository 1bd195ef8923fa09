package dev.adi4j.diffusion.nn;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetGraphTest {
    /** Weights shared by many graphs (one per input size, one per checkpointed UNet stage) must not be copied. */
    @Test
    void graphsShareConstantsWithoutCopies() {
        INDArray weight = Nd4j.rand(DataType.FLOAT, 4096, 4096); // 64 MiB
        List<NetGraph> graphs = new ArrayList<>();
        long before = Pointer.physicalBytes();
        for (int i = 0; i < 8; i++) {
            NetGraph g = NetGraph.create();
            Tensor x = g.input("x", false, 1, 4096);
            g.name(new Tensor(x.var().mmul(g.sameDiff().constant("w", weight)), 1, 4096), "y");
            graphs.add(g);
        }
        long grown = Pointer.physicalBytes() - before;
        assertTrue(grown < 64L << 20, "8 graphs over one 64 MiB constant grew the resident set by " + (grown >> 20) + " MiB");

        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 4096);
        INDArray expected = x.mmul(weight);
        for (NetGraph g : graphs) {
            assertEquals(expected, g.run(Map.of("x", x), "y").get("y"));
        }
    }
}
