package dev.adi4j.adi.data;

import java.util.SplittableRandom;

/**
 * Random streams keyed by (seed, step, sample, purpose) instead of one generator advanced draw by draw, so a
 * resumed run makes the same choices at step N as an uninterrupted one, whatever happened before.
 */
public final class Draws {
    private Draws() {
    }

    /** A generator for one decision of one draw; {@code purpose} separates e.g. "flip" from "template". */
    public static SplittableRandom of(long seed, long step, int sample, String purpose) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ step);
        h = mix(h ^ sample);
        h = mix(h ^ purpose.hashCode());
        return new SplittableRandom(h);
    }

    /** SplitMix64 finaliser: nearby keys give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
