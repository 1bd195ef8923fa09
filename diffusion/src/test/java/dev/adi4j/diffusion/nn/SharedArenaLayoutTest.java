package dev.adi4j.diffusion.nn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layout never gives two live values overlapping ranges, reuses freed ranges, and reports its high-water mark. */
class SharedArenaLayoutTest {
    @Test
    void liveRangesNeverOverlap() {
        try (SharedArena arena = new SharedArena()) {
            Random random = new Random(7);
            for (int trial = 0; trial < 50; trial++) {
                SharedArena.Layout layout = new SharedArena.Layout(arena.block());
                List<long[]> live = new ArrayList<>(); // offset, length
                long maxLiveEnd = 0;
                long liveFloats = 0;
                long peakLive = 0;
                for (int op = 0; op < 400; op++) {
                    if (!live.isEmpty() && random.nextInt(3) == 0) {
                        long[] v = live.remove(random.nextInt(live.size()));
                        layout.release(v[0], v[1]);
                        liveFloats -= SharedArena.footprint(v[1]);
                        continue;
                    }
                    long length = 1 + random.nextInt(random.nextBoolean() ? 40 : 4000);
                    long offset = layout.place(length);
                    assertEquals(0, offset % 16, "aligned");
                    for (long[] v : live) {
                        boolean disjoint = offset + length <= v[0] || v[0] + v[1] <= offset;
                        assertTrue(disjoint, "[" + offset + ", +" + length + ") overlaps [" + v[0] + ", +" + v[1] + ")");
                    }
                    live.add(new long[]{offset, length});
                    liveFloats += SharedArena.footprint(length);
                    peakLive = Math.max(peakLive, liveFloats);
                    maxLiveEnd = Math.max(maxLiveEnd, offset + SharedArena.footprint(length));
                }
                assertEquals(maxLiveEnd * 4, layout.peakBytes());
                assertTrue(layout.peakBytes() >= peakLive * 4);
            }
        }
    }
}
