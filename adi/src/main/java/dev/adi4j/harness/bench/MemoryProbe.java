package dev.adi4j.harness.bench;

import org.bytedeco.javacpp.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process memory readings for benchmarks: peak RSS (resettable on Linux) and JavaCPP off-heap bytes. */
public final class MemoryProbe {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private MemoryProbe() {
    }

    /** Resets the kernel's peak-RSS mark so the next reading covers only what follows. */
    public static void resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux or not permitted: peaks then cover the whole process lifetime
        }
    }

    /** Peak resident set size in bytes since start or the last {@link #resetPeak()}, or -1 if unknown. */
    public static long peakRss() {
        return statusKb("VmHWM:");
    }

    public static long currentRss() {
        return statusKb("VmRSS:");
    }

    /** Bytes currently allocated off-heap through JavaCPP (ND4J's arrays). */
    public static long offHeapBytes() {
        return Pointer.totalBytes();
    }

    private static long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    public static String gib(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
