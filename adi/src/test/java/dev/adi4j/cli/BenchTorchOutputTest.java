package dev.adi4j.cli;

import dev.adi4j.harness.bench.Timing;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing torch_blocks.py's output (lines in its exact print format) and the side-by-side table. */
class BenchTorchOutputTest {
    /** As printed by torch_blocks.py for "all" (f"{name:24s} median {m:8.1f} ms   runs {...}"). */
    private static final List<String> SAMPLE = List.of(
            "torch 1.13.0a0, threads 2",
            "R1 forward               median     74.3 ms   runs [120, 80, 74, 73, 75, 74, 76]",
            "R1 forward+backward      median    145.0 ms   runs [300, 150, 145, 144, 146, 145, 150]",
            "peak RSS 358 MiB",
            "A1 forward               median    475.2 ms   runs [600, 480, 475, 470, 476, 474, 480]",
            "A1 forward+backward      median   1090.0 ms   runs [1500, 1100, 1090, 1080, 1095, 1085, 1091]",
            "peak RSS 1370 MiB",
            "T1 forward               median    612.5 ms   runs [700, 620, 612, 610, 615, 611, 613]",
            "T1 forward+backward      median   1400.4 ms   runs [1600, 1410, 1400, 1399, 1402, 1401, 1398]",
            "peak RSS 1502 MiB");

    @Test
    void parsesMediansPeaksAndVersion() {
        TorchBlocksOutput out = TorchBlocksOutput.parse(SAMPLE);
        assertEquals("1.13.0a0", out.version());
        assertEquals(List.of("R1 forward", "R1 forward+backward", "A1 forward", "A1 forward+backward", "T1 forward",
                "T1 forward+backward"), List.copyOf(out.measurements().keySet()));
        assertEquals(74.3, out.measurements().get("R1 forward").medianMs(), 1e-9);
        assertEquals(1090.0, out.measurements().get("A1 forward+backward").medianMs(), 1e-9);
        // a group's peak applies to each of its rows
        assertEquals(358, out.measurements().get("R1 forward+backward").peakRssMiB());
        assertEquals(1370, out.measurements().get("A1 forward").peakRssMiB());
        assertEquals(1502, out.measurements().get("T1 forward+backward").peakRssMiB());
    }

    @Test
    void ignoresOtherLinesAndMarksAMissingPeak() {
        TorchBlocksOutput out = TorchBlocksOutput.parse(List.of(
                "/usr/lib/python3/dist-packages/torch/__init__.py: UserWarning: something",
                "A1 forward               median    475.2 ms   runs [600, 480]"));
        assertNull(out.version());
        assertEquals(1, out.measurements().size());
        assertEquals(-1, out.measurements().get("A1 forward").peakRssMiB());
    }

    @Test
    void tableShowsRatiosAndDashesWithoutTorch() {
        TorchBlocksOutput torch = TorchBlocksOutput.parse(SAMPLE);
        long gib = 1024L * 1024 * 1024;
        Timing.Result a1 = new Timing.Result("A1 forward+backward", 2180.0, 2000, 2500, 5, 4 * gib, 0);
        Timing.Result u32 = new Timing.Result("sd21 U32 forward", 900.0, 850, 950, 5, 6 * gib, 0);
        String md = BenchTable.markdown(List.of(new BenchTable.Row(a1, torch.measurements().get(a1.workload())),
                new BenchTable.Row(u32, null)), List.of("footer line"));
        assertTrue(md.contains("| A1 forward+backward | 2.18 s | 1.09 s | 2.0x | 4.00 GiB | 1.34 GiB | 3.0x |"), md);
        assertTrue(md.contains("| sd21 U32 forward | 900.0 ms | - | - | 6.00 GiB | - | - |"), md);
        assertTrue(md.endsWith("\n- footer line\n"), md);
    }
}
