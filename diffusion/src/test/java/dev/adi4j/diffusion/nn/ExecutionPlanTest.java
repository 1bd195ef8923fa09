package dev.adi4j.diffusion.nn;

import dev.adi4j.diffusion.unet.UNet;
import dev.adi4j.diffusion.unet.UNetGraphSpec;
import dev.adi4j.testsupport.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The execution plan computes exactly what SameDiff's session computes (same op instances, same native kernels),
 * on the whole tiny UNet with its loss and on its gradient function; and it keeps doing so on later runs, where
 * every value lives in reused arena buffers and views.
 */
class ExecutionPlanTest {
    private static UNet unet;
    private static NetGraph graph;

    @BeforeAll
    static void load() {
        unet = UNet.load(Shared.tinySd().resolve("unet")).gradientCheckpointing(false);
        graph = unet.graph(new UNetGraphSpec(1, 8, 8, 77, false, false, true, true));
    }

    @AfterAll
    static void close() throws Exception {
        unet.close();
    }

    private static Map<String, INDArray> inputs(long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> in = new HashMap<>();
        in.put("sample", Nd4j.randn(DataType.FLOAT, 1, unet.config().inChannels(), 8, 8));
        in.put("timestep", Nd4j.createFromArray(new float[]{seed * 37 % 1000}));
        in.put("target", Nd4j.randn(DataType.FLOAT, 1, unet.config().outChannels(), 8, 8));
        in.put("encoder_hidden_states", Nd4j.randn(DataType.FLOAT, 1, 77, unet.config().crossAttentionDim()));
        return in;
    }

    /** Placeholders for SameDiff; trainable inputs are assigned into their variables by the graph. */
    private static Map<String, INDArray> fed(Map<String, INDArray> values) {
        return graph.feed(values);
    }

    @Test
    void forwardEqualsSessionOnEveryRun() {
        List<String> outputs = List.of("output", "loss");
        SameDiff sd = graph.sameDiff();
        Map<String, INDArray> first = fed(inputs(1));
        try (ExecutionPlan plan = ExecutionPlan.compile(sd, first, outputs)) {
            assertEqualValues(sd.output(first, outputs.toArray(String[]::new)), plan.outputs());
            assertTrue(plan.steps() > 100, "steps: " + plan.steps());
            for (long seed = 2; seed <= 3; seed++) {
                Map<String, INDArray> next = fed(inputs(seed));
                plan.run(next);
                assertEqualValues(sd.output(next, outputs.toArray(String[]::new)), plan.outputs());
            }
        }
    }

    @Test
    void gradientFunctionEqualsSession() {
        SameDiff grad = graph.gradFunction("loss");
        List<String> outputs = new ArrayList<>(List.of("output", "loss"));
        outputs.add(graph.gradientName("encoder_hidden_states", "loss"));
        Map<String, INDArray> first = fed(inputs(4));
        try (ExecutionPlan plan = ExecutionPlan.compile(grad, first, outputs)) {
            assertEqualValues(grad.output(first, outputs.toArray(String[]::new)), plan.outputs());
            Map<String, INDArray> next = fed(inputs(5));
            plan.run(next);
            assertEqualValues(grad.output(next, outputs.toArray(String[]::new)), plan.outputs());
        }
    }

    /** Buffers are reused once a value's last reader ran: the arena is far smaller than all values together. */
    @Test
    void arenaReusesBuffers() {
        SameDiff sd = graph.sameDiff();
        Map<String, INDArray> in = fed(inputs(6));
        long allValues = 0;
        Map<String, INDArray> everything = sd.outputAll(in);
        for (INDArray a : everything.values()) if (a != null) allValues += a.length() * a.dataType().width();
        try (ExecutionPlan plan = ExecutionPlan.compile(sd, in, List.of("output"))) {
            assertTrue(plan.arenaBytes() * 4 < allValues,
                    "arena " + plan.arenaBytes() + " bytes against " + allValues + " bytes of values");
        }
    }

    /**
     * A detached value (float -> int -> float bit casts) is an alias of its source in a plan: no step, no copy; a cast
     * whose int value is read elsewhere still runs. Values equal the session's.
     */
    @Test
    void detachedValuesAreAliases() {
        SameDiff sd = SameDiff.create();
        var x = sd.placeHolder("x", DataType.FLOAT, 3, 4);
        var y = Ops.detach(sd, x).mul(2.0).add(x);
        y.rename("y");
        Map<String, INDArray> in = Map.of("x", Nd4j.randn(DataType.FLOAT, 3, 4));
        INDArray expected = sd.output(in, "y").get("y");
        try (ExecutionPlan plan = ExecutionPlan.compile(sd, in, List.of("y"))) {
            assertEquals(expected, plan.outputs().get("y"));
            assertEquals(2, plan.steps(), "mul_scalar and add only");
        }
        var bits = sd.getVariableOutputOp(sd.getVariableOutputOp(Ops.detach(sd, x).name()).arg().name()).outputVariable();
        var both = sd.math.add(Ops.detach(sd, x), bits.castTo(DataType.FLOAT));
        both.rename("both");
        INDArray expectedBoth = sd.output(in, "both").get("both");
        try (ExecutionPlan plan = ExecutionPlan.compile(sd, in, List.of("both"))) {
            assertEquals(expectedBoth, plan.outputs().get("both"));
            assertEquals(3, plan.steps(), "the int cast, the float cast of the ints, the add");
        }
    }

    @Test
    void refusesAnotherShape() {
        SameDiff sd = graph.sameDiff();
        Map<String, INDArray> in = fed(inputs(7));
        try (ExecutionPlan plan = ExecutionPlan.compile(sd, in, List.of("output"))) {
            Map<String, INDArray> wrong = new HashMap<>(in);
            wrong.put("sample", Nd4j.zeros(DataType.FLOAT, 1, unet.config().inChannels(), 16, 16));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan.run(wrong));
            assertTrue(e.getMessage().contains("sample"), e.getMessage());
        }
    }

    /**
     * Two plans laid out in one shared block compute what SameDiff's session computes, each run after the other
     * (each overwrites the other's values); a plan whose layout did not fit says so and sizes the block, and plans
     * laid out in a replaced block refuse to run.
     */
    @Test
    void plansShareOneBlock() {
        SameDiff sd = graph.sameDiff();
        SameDiff grad = graph.gradFunction("loss");
        List<String> forward = List.of("output", "loss");
        List<String> backward = List.of("loss", graph.gradientName("encoder_hidden_states", "loss"));
        try (SharedArena arena = new SharedArena()) {
            Map<String, INDArray> in = fed(inputs(8));
            ExecutionPlan tooSmall = ExecutionPlan.compile(grad, in, backward, arena);
            assertTrue(tooSmall.overflowed(), "the empty block cannot hold a plan");
            assertEqualValues(grad.output(in, backward.toArray(String[]::new)), tooSmall.outputs());
            tooSmall.close();
            arena.request(tooSmall.sharedBytes());
            arena.grow();
            assertEquals(tooSmall.sharedBytes() + 64, arena.capacityBytes(), 64);

            try (ExecutionPlan g = ExecutionPlan.compile(grad, in, backward, arena);
                 ExecutionPlan f = ExecutionPlan.compile(sd, in, forward, arena)) {
                assertTrue(!g.overflowed() && !f.overflowed() && f.sharedBytes() < g.sharedBytes());
                assertTrue(g.arenaBytes() < g.sharedBytes() / 100, "private " + g.arenaBytes() + " bytes");
                for (long seed = 9; seed <= 10; seed++) {
                    Map<String, INDArray> next = fed(inputs(seed));
                    g.run(next);
                    assertEqualValues(grad.output(next, backward.toArray(String[]::new)), g.outputs());
                    f.run(next);
                    assertEqualValues(sd.output(next, forward.toArray(String[]::new)), f.outputs());
                }
                arena.request(arena.capacityBytes() * 2);
                arena.grow();
                assertTrue(!g.valid() && !f.valid());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.run(in));
                assertTrue(e.getMessage().contains("compile it again"), e.getMessage());
            }
        }
    }

    /** Graphs sharing an arena hand out copies: a result stays what it was when another graph runs. */
    @Test
    void sharedArenaResultsAreCopies() {
        try (SharedArena arena = new SharedArena()) {
            NetGraph a = NetGraph.create().shareArena(arena);
            NetGraph b = NetGraph.create().shareArena(arena);
            Tensor x = a.input("x", false, 4, 8);
            a.name(new Tensor(a.sameDiff().math().tanh(x.var()), 4, 8), "y");
            Tensor z = b.input("x", false, 64, 8);
            b.name(new Tensor(b.sameDiff().nn().sigmoid(z.var()), 64, 8), "y");
            INDArray in = Nd4j.linspace(-2, 2, 32, DataType.FLOAT).reshape(4, 8);
            INDArray big = Nd4j.linspace(-1, 1, 512, DataType.FLOAT).reshape(64, 8);
            // round 0 runs privately and asks for room; then both run in the block, b overwriting a's values
            for (int round = 0; round < 3; round++) {
                INDArray ya = a.run(Map.of("x", in), "y").get("y");
                INDArray yb = b.run(Map.of("x", big), "y").get("y");
                assertEquals(0.0, ya.sub(Transforms.tanh(in)).amaxNumber().doubleValue(), "round " + round);
                assertEquals(0.0, yb.sub(Transforms.sigmoid(big)).amaxNumber().doubleValue(), "round " + round);
                arena.grow();
                assertTrue(arena.capacityBytes() >= 2 * 512 * 4, "block of " + arena.capacityBytes() + " bytes");
            }
        }
    }

    private static void assertEqualValues(Map<String, INDArray> expected, Map<String, INDArray> actual) {
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            INDArray a = actual.get(e.getKey());
            assertEquals(e.getValue().shapeInfoToString(), a.shapeInfoToString(), e.getKey());
            // the same kernels on the same values: equal to the bit, not within a tolerance
            assertEquals(0.0, e.getValue().sub(a).amaxNumber().doubleValue(), e.getKey() + " differs from SameDiff's session");
        }
    }
}
