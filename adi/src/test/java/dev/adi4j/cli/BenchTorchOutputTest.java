package dev.adi4j.cli;

import dev.adi4j.harness.bench.Timing;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parsing the PyTorch scripts' output (lines in their exact print formats: torch_blocks.py's grouped peaks,
 * unet_bench.py's and bench/torch's one line per measurement) and the side-by-side table.
 */
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
        TorchOutput out = TorchOutput.parse(SAMPLE);
        assertEquals("1.13.0a0", out.version());
        assertEquals(List.of("R1 forward", "R1 forward+backward", "A1 forward", "A1 forward+backward", "T1 forward",
                "T1 forward+backward"), List.copyOf(out.measurements().keySet()));
        assertEquals(74.3, out.measurements().get("R1 forward").medianMs(), 1e-9);
        assertEquals(1090.0, out.measurements().get("A1 forward+backward").medianMs(), 1e-9);
        // a group's peak applies to each of its rows
        assertEquals(358, out.measurements().get("R1 forward+backward").peakRssMiB(), 1e-9);
        assertEquals(1370, out.measurements().get("A1 forward").peakRssMiB(), 1e-9);
        assertEquals(1502, out.measurements().get("T1 forward+backward").peakRssMiB(), 1e-9);
    }

    @Test
    void ignoresOtherLinesAndMarksAMissingPeak() {
        TorchOutput out = TorchOutput.parse(List.of(
                "/usr/lib/python3/dist-packages/torch/__init__.py: UserWarning: something",
                "A1 forward               median    475.2 ms   runs [600, 480]"));
        assertNull(out.version());
        assertEquals(1, out.measurements().size());
        assertEquals(-1, out.measurements().get("A1 forward").peakRssMiB(), 1e-9);
    }

    @Test
    void tableShowsRatiosAndDashesWithoutTorch() {
        TorchOutput torch = TorchOutput.parse(SAMPLE);
        long gib = 1024L * 1024 * 1024;
        Timing.Result a1 = new Timing.Result("A1 forward+backward", 2180.0, 2000, 2500, 5, 4 * gib, 0);
        Timing.Result u32 = new Timing.Result("sd21 U32 forward", 900.0, 850, 950, 5, 6 * gib, 0);
        String md = BenchTable.markdown(List.of(new BenchTable.Row(a1, torch.measurements().get(a1.workload())),
                new BenchTable.Row(u32, null)), List.of("footer line"));
        assertTrue(md.contains("| A1 forward+backward | 2.18 s | 1.09 s | 2.0x | 4.00 GiB | 1.34 GiB | 3.0x |"), md);
        assertTrue(md.contains("| sd21 U32 forward | 900.0 ms | - | - | 6.00 GiB | - | - |"), md);
        assertTrue(md.endsWith("\n- footer line\n"), md);
    }

    /**
     * As printed by unet_bench.py (f"{name:36s} median {m:9.1f} ms  min {m:9.1f}  peak RSS {rss:.2f} GiB") and by
     * bench/torch/benchlib.py (same format, after a torch_blocks-style header), with diffusers' warnings between.
     */
    private static final List<String> PER_LINE = List.of(
            "torch 1.13.0a0, threads 2",
            "Cannot initialize model with low cpu memory usage because `accelerate` was not found in the environment.",
            "tiny U16 b1 forward                  median      22.0 ms  min      21.8  peak RSS 0.27 GiB",
            "tiny G16 b1 forward+backward(ctx)    median      42.2 ms  min      41.4  peak RSS 0.29 GiB",
            "tiny-sd text T77 x16 forward         median       3.6 ms  min       3.6  peak RSS 0.25 GiB",
            "tiny-sd text T77 x16 forward+backward(inputs_embeds) median      10.4 ms  min       9.1  peak RSS 0.27 GiB",
            "tiny-sd generate 128x128 25 steps cfg 7.5 median    1250.0 ms  min    1200.5  peak RSS 0.30 GiB",
            "0.800 images/s");

    @Test
    void parsesOneLinePerMeasurementWithItsOwnPeak() {
        TorchOutput out = TorchOutput.parse(PER_LINE);
        assertEquals("1.13.0a0", out.version());
        assertEquals(List.of("tiny U16 b1 forward", "tiny G16 b1 forward+backward(ctx)", "tiny-sd text T77 x16 forward",
                "tiny-sd text T77 x16 forward+backward(inputs_embeds)", "tiny-sd generate 128x128 25 steps cfg 7.5"),
                List.copyOf(out.measurements().keySet()));
        assertEquals(22.0, out.measurements().get("tiny U16 b1 forward").medianMs(), 1e-9);
        assertEquals(0.27 * 1024, out.measurements().get("tiny U16 b1 forward").peakRssMiB(), 1e-9);
        assertEquals(0.29 * 1024, out.measurements().get("tiny G16 b1 forward+backward(ctx)").peakRssMiB(), 1e-9);
        assertEquals(10.4, out.measurements().get("tiny-sd text T77 x16 forward+backward(inputs_embeds)").medianMs(), 1e-9);
        assertEquals(1250.0, out.measurements().get("tiny-sd generate 128x128 25 steps cfg 7.5").medianMs(), 1e-9);
    }

    @Test
    void theNamesBenchNetLooksUpAreTheScriptsNames() {
        TorchOutput out = TorchOutput.parse(PER_LINE);
        assertTrue(out.measurements().containsKey(BenchNetCommand.TorchSide.unetName("tiny", 16, 1, false)));
        assertTrue(out.measurements().containsKey(BenchNetCommand.TorchSide.unetName("tiny", 16, 1, true)));
        assertTrue(out.measurements().containsKey(BenchNetCommand.TorchSide.textName("tiny-sd", 77, 16, false)));
        assertTrue(out.measurements().containsKey(BenchNetCommand.TorchSide.textName("tiny-sd", 77, 16, true)));
        // generate_bench.py is given adi4j's row name (--name); its default is the same
        assertTrue(out.measurements().containsKey(dev.adi4j.harness.bench.GenerateBench.name("tiny-sd", 128, 128, 25, 7.5)));
    }

    @Test
    void bothFormatsInOneOutputKeepTheirOwnPeaks() {
        TorchOutput out = TorchOutput.parse(List.of(
                "R1 forward               median     74.3 ms   runs [120, 80]",
                "tiny U16 b1 forward                  median      22.0 ms  min      21.8  peak RSS 1.50 GiB",
                "peak RSS 358 MiB"));
        assertEquals(358, out.measurements().get("R1 forward").peakRssMiB(), 1e-9);
        assertEquals(1536, out.measurements().get("tiny U16 b1 forward").peakRssMiB(), 1e-9);
    }

    @Test
    void throughputRowsShowImagesPerSecondAndSmallRatiosKeepTwoDecimals() {
        TorchOutput torch = TorchOutput.parse(PER_LINE);
        long mib = 1024L * 1024;
        Timing.Result gen = new Timing.Result("tiny-sd generate 128x128 25 steps cfg 7.5", 2500.0, 2400, 2600, 5, 600 * mib, 0, 3);
        Timing.Result text = new Timing.Result("tiny-sd text T77 x16 forward", 0.9, 0.8, 1.0, 5, 300 * mib, 0, 30);
        String md = BenchTable.markdown(List.of(
                new BenchTable.Row(gen, torch.measurements().get(gen.workload()), 1),
                new BenchTable.Row(text, torch.measurements().get("tiny-sd text T77 x16 forward"))), List.of());
        assertTrue(md.contains("| tiny-sd generate 128x128 25 steps cfg 7.5 | 2.50 s (0.40 img/s) | 1.25 s (0.80 img/s) | 2.0x "
                + "| 600 MiB | 307 MiB | 2.0x |"), md);
        assertTrue(md.contains("| tiny-sd text T77 x16 forward | 0.9 ms | 3.6 ms | 0.25x | 300 MiB | 256 MiB | 1.2x |"), md);
        assertTrue(md.endsWith("|\n"), "no footer, no trailing blank line: " + md);
    }
}
