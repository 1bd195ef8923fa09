package dev.adi4j.cli;

import dev.adi4j.mini.base.EmbeddedModel;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

/**
 * Checks of command-line values, each failing with one line that names the flag, the value and what is allowed.
 * Commands call them from one {@code checkFlags()} before any work is done.
 */
final class Flags {
    private Flags() {
    }

    /** {@code --model}'s folder when given (it must exist), else the embedded mini-world model (unpacked on first use). */
    static Path miniModel(Path model) {
        if (model == null) return EmbeddedModel.folder();
        if (!Files.isDirectory(model)) throw new UserException("--model " + model + ": no such model folder");
        return model;
    }

    static void atLeast(String flag, long value, long min) {
        if (value < min) throw new UserException(flag + " " + value + ": must be at least " + min);
    }

    static void finite(String flag, double value) {
        if (!Double.isFinite(value)) throw new UserException(flag + " " + value + ": must be a finite number");
    }

    static void oneOf(String flag, String value, Collection<String> allowed) {
        if (!allowed.contains(value)) {
            throw new UserException(flag + " '" + value + "': unknown, expected one of " + String.join(", ", allowed));
        }
    }

    /** An image size "WxH" whose sides are positive multiples of {@code multiple}. */
    static int[] size(String flag, String value, int multiple) {
        String[] p = value.toLowerCase(Locale.ROOT).split("x", -1);
        int[] wh = new int[2];
        if (p.length != 2) throw new UserException(flag + " '" + value + "': expected WxH, e.g. 768x768");
        for (int i = 0; i < 2; i++) {
            try {
                wh[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                throw new UserException(flag + " '" + value + "': '" + p[i].trim() + "' is not a whole number; expected WxH, e.g. 768x768");
            }
            if (wh[i] <= 0 || wh[i] % multiple != 0) {
                throw new UserException(flag + " '" + value + "': " + (i == 0 ? "width " : "height ") + wh[i]
                        + " must be a positive multiple of " + multiple);
            }
        }
        return wh;
    }

    /**
     * Memory the process may use for tensors: ND4J's off-heap cap (JavaCPP's maxPhysicalBytes) when one is set,
     * else the machine's physical memory.
     */
    static long availableBytes() {
        long physical = Long.MAX_VALUE;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            physical = os.getTotalMemorySize();
        }
        long cap = org.bytedeco.javacpp.Pointer.maxPhysicalBytes();
        return cap > 0 ? Math.min(cap, physical) : physical;
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
