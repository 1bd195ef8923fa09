package dev.adi4j.diffusion.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Attention over query chunks (large score tensors) must equal the one-shot computation, values and gradients. */
class ChunkedAttentionTest {
    private static Map<String, INDArray> run(long maxScoreElements, INDArray q, INDArray k, INDArray v) {
        NetGraph g = NetGraph.create();
        Tensor tq = g.input("q", true, q.shape());
        Tensor tk = g.input("k", true, k.shape());
        Tensor tv = g.input("v", true, v.shape());
        Ops ops = new Ops(g.sameDiff());
        ops.maxAttentionScoreElements(maxScoreElements);
        Tensor out = g.name(ops.attention(tq, tk, tv, 2, null), "out");
        SDVariable loss = out.var().mul(out.var()).sum();
        loss.rename("loss");
        return g.gradients(Map.of("q", q, "k", k, "v", v), "loss", new String[]{"q", "k", "v"}, "out");
    }

    @Test
    void chunkedEqualsUnchunked() {
        Nd4j.getRandom().setSeed(11);
        INDArray q = Nd4j.randn(DataType.FLOAT, 1, 10, 8);
        INDArray k = Nd4j.randn(DataType.FLOAT, 1, 6, 8);
        INDArray v = Nd4j.randn(DataType.FLOAT, 1, 6, 8);
        Map<String, INDArray> whole = run(1L << 26, q, k, v);
        // 2 heads x 6 keys = 12 elements per query row: a limit of 36 gives chunks of 3, 3, 3 and 1 rows
        Map<String, INDArray> chunked = run(36, q, k, v);
        for (String key : new String[]{"out", "grad:q", "grad:k", "grad:v"}) {
            double diff = whole.get(key).sub(chunked.get(key)).amaxNumber().doubleValue();
            assertTrue(diff < 1e-5, key + " differs by " + diff);
        }
    }
}
