package dev.adi4j.diffusion.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Which malloc this process runs on: it decides how SameDiff sessions manage memory (see ReleasingMemoryMgr). */
public final class NativeAllocator {
    private NativeAllocator() {
    }

    /** True when jemalloc is the process's allocator (bin/adi preloads it when installed). */
    public static boolean jemallocLoaded() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libjemalloc");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
